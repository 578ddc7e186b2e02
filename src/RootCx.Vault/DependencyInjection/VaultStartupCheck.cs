using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using RootCx.Vault.KeyLoading;

namespace RootCx.Vault.DependencyInjection;

/// <summary>Loads and checks the master key when the host starts, so a wrong or missing key stops the host.</summary>
/// <remarks>
/// The key ring is resolved in <see cref="StartAsync"/>, not injected: the host creates hosted services before it
/// validates options, and a missing store must surface as the validation message, not as a container error.
/// </remarks>
internal sealed class VaultStartupCheck(IServiceProvider services) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken) =>
        await services.GetRequiredService<KeyRingLoader>().GetAsync(cancellationToken).ConfigureAwait(false);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
