using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using RootCx.Vault.Diagnostics;

namespace RootCx.Vault.DependencyInjection;

/// <summary>
/// Purges the deleted secrets whose retention ran out: once the host has started, then every
/// <see cref="RootCxVaultOptions.DeletedPurgeInterval"/> on the host's <see cref="TimeProvider"/>. A failed round is
/// logged and the next one tries again; several hosts sharing a store may all run it (a purge is idempotent).
/// </summary>
internal sealed class DeletedSecretPurger(IServiceProvider services) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Resolved here, after start-up validated the options and checked the key (see VaultStartupCheck).
        RootCxVaultOptions options = services.GetRequiredService<IOptions<RootCxVaultOptions>>().Value;
        ISecretVault vault = services.GetRequiredService<ISecretVault>();
        ILogger logger = (ILogger?)services.GetService<ILogger<DeletedSecretPurger>>() ?? NullLogger.Instance;
        using var timer = new PeriodicTimer(options.DeletedPurgeInterval, services.GetRequiredService<TimeProvider>());
        do
        {
            try
            {
                await vault.PurgeExpiredAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                VaultLog.PurgeFailed(logger, ex);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }
}
