using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;

namespace RootCx.Vault.Runtime;

/// <summary>
/// Runs one backend per app. A platform secret change restarts every backend (graceful stop, then kill after the
/// timeout, then a start with fresh values); an app secret change restarts nothing and takes effect at that app's
/// next restart, which <see cref="RestartAsync"/> offers.
/// </summary>
public sealed partial class WorkerSupervisor(
    ISecretInjector injector,
    ISecretChangeFeed changes,
    IOptions<RuntimeOptions> options,
    ILogger<WorkerSupervisor> logger) : IHostedService, IAsyncDisposable
{
    private readonly SemaphoreSlim _lifecycle = new(1, 1);
    private readonly Dictionary<string, BackendProcess> _backends = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _restarts = new(StringComparer.Ordinal);
    private IDisposable? _platformWatch;
    private int _disposed;

    /// <summary>Gets the running backend of each app.</summary>
    public IReadOnlyDictionary<string, BackendProcess> Backends
    {
        get
        {
            lock (_backends)
            {
                return new Dictionary<string, BackendProcess>(_backends);
            }
        }
    }

    /// <summary>Gets how many restarts of an app's backend have completed.</summary>
    public int RestartsOf(string appId)
    {
        lock (_backends)
        {
            return _restarts.GetValueOrDefault(appId);
        }
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (string appId in options.Value.Apps)
        {
            await StartBackendAsync(appId, cancellationToken);
        }

        _platformWatch = ChangeToken.OnChange(() => changes.GetChangeToken(SecretScope.Platform), () => _ = RestartAllAsync());
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _platformWatch?.Dispose();
        await _lifecycle.WaitAsync(cancellationToken);
        try
        {
            foreach (BackendProcess backend in Backends.Values)
            {
                await backend.DisposeAsync();
            }
        }
        finally
        {
            _lifecycle.Release();
        }
    }

    /// <summary>Restarts one app's backend, so it picks up changed app secrets.</summary>
    public async Task RestartAsync(string appId, CancellationToken cancellationToken = default)
    {
        await _lifecycle.WaitAsync(cancellationToken);
        try
        {
            await RestartCoreAsync(appId, cancellationToken);
        }
        finally
        {
            _lifecycle.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        // Registered as a singleton and as the hosted service it also is: the container disposes it twice.
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await StopAsync(CancellationToken.None);
        _lifecycle.Dispose();
    }

    private async Task RestartAllAsync()
    {
        await _lifecycle.WaitAsync();
        try
        {
            LogPlatformChanged(logger);
            foreach (string appId in Backends.Keys)
            {
                // One app that cannot start (a damaged secret, say) must not keep the others on stale values.
                try
                {
                    await RestartCoreAsync(appId, CancellationToken.None);
                }
                catch (Exception ex) when (ex is RootCxVaultException or IOException)
                {
                    LogRestartFailed(logger, appId, ex);
                }
            }
        }
        finally
        {
            _lifecycle.Release();
        }
    }

    private async Task RestartCoreAsync(string appId, CancellationToken cancellationToken)
    {
        BackendProcess? old;
        lock (_backends)
        {
            _backends.Remove(appId, out old);
        }

        if (old is not null)
        {
            StopOutcome outcome = await old.StopAsync(options.Value.StopTimeout);
            LogStopped(logger, appId, old.ProcessId, outcome);
            await old.DisposeAsync();
        }

        await StartBackendAsync(appId, cancellationToken);
        lock (_backends)
        {
            _restarts[appId] = _restarts.GetValueOrDefault(appId) + 1;
        }
    }

    private async Task StartBackendAsync(string appId, CancellationToken cancellationToken)
    {
        BackendProcess backend = await BackendProcess.StartAsync(appId, options.Value, injector, cancellationToken);
        lock (_backends)
        {
            _backends[appId] = backend;
        }

        LogStarted(logger, appId, backend.ProcessId, string.Join(", ", backend.InjectedNames));
    }

    [LoggerMessage(1, LogLevel.Information, "Started the backend of {AppId} (pid {ProcessId}) with the secret variables [{Names}].")]
    private static partial void LogStarted(ILogger logger, string appId, int processId, string names);

    [LoggerMessage(2, LogLevel.Information, "Stopped the backend of {AppId} (pid {ProcessId}): {Outcome}.")]
    private static partial void LogStopped(ILogger logger, string appId, int processId, StopOutcome outcome);

    [LoggerMessage(3, LogLevel.Information, "Platform secrets changed: restarting every backend.")]
    private static partial void LogPlatformChanged(ILogger logger);

    [LoggerMessage(4, LogLevel.Error, "Restarting the backend of {AppId} after a platform change failed; it stays stopped until its next restart.")]
    private static partial void LogRestartFailed(ILogger logger, string appId, Exception exception);
}
