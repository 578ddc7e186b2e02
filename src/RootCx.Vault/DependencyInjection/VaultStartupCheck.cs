using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using RootCx.Vault.KeyLoading;

namespace RootCx.Vault.DependencyInjection;

/// <summary>
/// Loads and checks the master key when the host starts, so a wrong or missing key stops the host; then reads where
/// the change feed starts from, so a change made elsewhere after the host started is never taken for the state before.
/// </summary>
/// <remarks>
/// The key ring is resolved in <see cref="StartAsync"/>, not injected: the host creates hosted services before it
/// validates options, and a missing store must surface as the validation message, not as a container error.
/// </remarks>
internal sealed class VaultStartupCheck(IServiceProvider services) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await services.GetRequiredService<KeyRingLoader>().GetAsync(cancellationToken).ConfigureAwait(false);
        await services.GetRequiredService<ISecretChangeFeed>().StartAsync(cancellationToken).ConfigureAwait(false);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
