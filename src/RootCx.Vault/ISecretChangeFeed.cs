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
    IChangeToken GetChangeToken(SecretScope scope);
}
