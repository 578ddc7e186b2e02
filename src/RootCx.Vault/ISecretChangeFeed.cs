using Microsoft.Extensions.Primitives;

namespace RootCx.Vault;

/// <summary>
/// Change notifications per scope, as <see cref="IChangeToken"/>s. A token fires once when a secret of its scope is set
/// or deleted, by this process or by any other process or machine sharing the store; then ask for a new one
/// (<see cref="ChangeToken.OnChange(Func{IChangeToken?}, Action)"/> does that).
/// </summary>
public interface ISecretChangeFeed
{
    /// <summary>Returns a token that fires on the next change to <paramref name="scope"/>.</summary>
    /// <param name="scope">The scope to watch.</param>
    /// <returns>A single-use change token.</returns>
    /// <remarks>
    /// Changes made through this process are always reported. Changes made elsewhere are reported from the moment the
    /// feed has read the store's change version: the host's start does that (<see cref="StartAsync"/>), as does the first
    /// token without a host, at once on the file system store and after one round trip on the SQL stores.
    /// </remarks>
    IChangeToken GetChangeToken(SecretScope scope);

    /// <summary>
    /// Reads the store's change version, from which every change, made anywhere, is reported; does nothing once it has.
    /// The host's start calls it. Without a host, await it before reading the values that tokens are to keep current.
    /// </summary>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>A task that completes once the feed knows where it starts from.</returns>
    Task StartAsync(CancellationToken cancellationToken = default);
}
