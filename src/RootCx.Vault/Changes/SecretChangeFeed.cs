using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;
using RootCx.Vault.Changes;
using RootCx.Vault.Diagnostics;
using RootCx.Vault.Storage;

namespace RootCx.Vault.Changes;

/// <summary>
/// Fires per-scope change tokens. A write through this process names its scope (<see cref="Nudge"/>). A write by
/// another process moves the store's change version, which the store announces where it can
/// (<see cref="ISecretStore.WatchChanges"/>: PostgreSQL LISTEN/NOTIFY, a file system watcher) and polling finds
/// otherwise; the store then names the scopes written since the version last seen
/// (<see cref="ISecretStore.GetChangedScopesAsync"/>), so a change costs in proportion to what changed, never a
/// listing of the scopes watched.
/// </summary>
/// <remarks>
/// Every request for a check waits <see cref="RootCxVaultOptions.ChangeCoalescingDelay"/>, so a burst is checked once
/// or a few times, and checks run one at a time. Polling, every <see cref="RootCxVaultOptions.ChangePollInterval"/>,
/// is the safety net for notifications that never come (a store that cannot notify, a listener reconnecting). It
/// runs on a <see cref="TimeProvider"/> timer started by the first watch, so no hosted service is needed.
/// </remarks>
internal sealed class SecretChangeFeed : ISecretChangeFeed, IDisposable
{
    private readonly ISecretStore _store;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly TimeSpan _pollInterval;
    private readonly TimeSpan _coalescingDelay;
    private readonly ConcurrentDictionary<SecretScope, ChangeSignal> _watches = new();
    private readonly ConcurrentDictionary<SecretScope, bool> _nudged = new();
    private readonly SemaphoreSlim _checking = new(1, 1);
    private readonly Lock _timerLock = new();
    private ITimer? _timer;
    private IDisposable? _storeWatch;
    private bool _checkScheduled;
    private bool _disposed;

    // Written only by a check, under _checking; read by the poller.
    private long _seenVersion;
    private bool _hasSeenVersion;

    public SecretChangeFeed(ISecretStore store, TimeProvider time, IOptions<RootCxVaultOptions> options, ILogger<SecretChangeFeed>? logger = null)
    {
        _store = store;
        _time = time;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _pollInterval = options.Value.ChangePollInterval;
        _coalescingDelay = options.Value.ChangeCoalescingDelay;
    }

    public IChangeToken GetChangeToken(SecretScope scope)
    {
        ArgumentNullException.ThrowIfNull(scope);
        IChangeToken token = _watches.GetOrAdd(scope, _ => new ChangeSignal()).Token;
        Start();
        return token;
    }

    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        if (!Volatile.Read(ref _hasSeenVersion))
        {
            await CheckAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Asks for a check soon: this process changed <paramref name="scope"/>.</summary>
    public void Nudge(SecretScope scope)
    {
        if (_watches.ContainsKey(scope))
        {
            _nudged[scope] = true;
            RequestCheck();
        }
    }

    /// <summary>Fires the scopes nudged or written by others since the last check.</summary>
    public async Task CheckAsync(CancellationToken cancellationToken)
    {
        await _checking.WaitAsync(cancellationToken).ConfigureAwait(false);
        var changed = new HashSet<SecretScope>();
        try
        {
            foreach (SecretScope scope in _nudged.Keys)
            {
                if (_nudged.TryRemove(scope, out _))
                {
                    changed.Add(scope);
                }
            }

            long version = await _store.GetChangeVersionAsync(cancellationToken).ConfigureAwait(false);

            // The first check only sets the baseline: what others wrote before anyone watched is no change.
            if (_hasSeenVersion && version != _seenVersion)
            {
                changed.UnionWith(await _store.GetChangedScopesAsync(_seenVersion, version, [.. _watches.Keys], cancellationToken).ConfigureAwait(false));
            }

            Volatile.Write(ref _seenVersion, version);
            Volatile.Write(ref _hasSeenVersion, true);
        }
        catch
        {
            // Nothing was fired: the nudges wait for the next check.
            foreach (SecretScope scope in changed)
            {
                _nudged[scope] = true;
            }

            _checking.Release();
            throw;
        }

        try
        {
            foreach (SecretScope scope in changed)
            {
                Fire(scope);
            }
        }
        finally
        {
            _checking.Release();
        }
    }

    public void Dispose()
    {
        ITimer? timer;
        IDisposable? storeWatch;
        lock (_timerLock)
        {
            _disposed = true;
            (timer, _timer) = (_timer, null);
            (storeWatch, _storeWatch) = (_storeWatch, null);
        }

        // Outside the lock: disposing the registration waits for a running callback, which may be waiting for the lock.
        timer?.Dispose();
        storeWatch?.Dispose();

        foreach (ChangeSignal watch in _watches.Values)
        {
            watch.Dispose();
        }

        _checking.Dispose();
    }

    private void Start()
    {
        lock (_timerLock)
        {
            if (_timer is not null || _disposed)
            {
                return;
            }

            _timer = _time.CreateTimer(_ => _ = OnTimerAsync(), null, _pollInterval, _pollInterval);
            _storeWatch = ChangeToken.OnChange(_store.WatchChanges, RequestCheck);
        }

        // The baseline. It completes within this call where the store answers synchronously (files), so a change
        // made right after the first watch is never mistaken for the state before it.
        _ = OnTimerAsync();
    }

    // Scheduled once until it runs: a steady stream of writes cannot keep postponing the check.
    private void RequestCheck()
    {
        lock (_timerLock)
        {
            if (!_checkScheduled && _timer is not null)
            {
                _checkScheduled = true;
                _timer.Change(_coalescingDelay, _pollInterval);
            }
        }
    }

    private async Task OnTimerAsync()
    {
        lock (_timerLock)
        {
            _checkScheduled = false;
        }

        try
        {
            // The cheap question first: a full check only when something may have changed.
            if (!_nudged.IsEmpty || !Volatile.Read(ref _hasSeenVersion)
                || await _store.GetChangeVersionAsync().ConfigureAwait(false) != Volatile.Read(ref _seenVersion))
            {
                await CheckAsync(CancellationToken.None).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException and not ObjectDisposedException)
        {
            // A background poller has no caller to throw to: whatever the store throws (I/O, SQL, a damaged file)
            // is logged, and the next tick tries again.
            VaultLog.ChangeCheckFailed(_logger, ex);
        }
        catch (ObjectDisposedException)
        {
            // The feed was disposed while a tick was running.
        }
    }

    private void Fire(SecretScope scope)
    {
        if (!_watches.TryGetValue(scope, out ChangeSignal? watch))
        {
            return;
        }

        VaultLog.ScopeChanged(_logger, scope);
        try
        {
            watch.Fire();
        }
        catch (AggregateException ex)
        {
            // A watcher's callback threw (every callback of the token still ran); other scopes must still fire.
            VaultLog.ChangeCallbackFailed(_logger, scope, ex);
        }
    }
}
