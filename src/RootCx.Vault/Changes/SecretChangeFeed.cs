using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;
using RootCx.Vault.Diagnostics;
using RootCx.Vault.Storage;

namespace RootCx.Vault;

/// <summary>
/// Fires per-scope change tokens from one check: when the store's change version moved (another process wrote) or
/// this process wrote (<see cref="Nudge"/>), it fingerprints each watched scope's metadata and fires the scopes whose
/// fingerprint changed. All changes take that one path, so a burst fires a token once, whoever wrote it.
/// </summary>
/// <remarks>
/// Polling runs on a <see cref="TimeProvider"/> timer started by the first watch, so no hosted service is needed.
/// Nudges wait <see cref="RootCxVaultOptions.ChangeCoalescingDelay"/> so that a burst of writes is checked once.
/// </remarks>
internal sealed class SecretChangeFeed : ISecretChangeFeed, IDisposable
{
    private readonly ISecretStore _store;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly TimeSpan _pollInterval;
    private readonly TimeSpan _coalescingDelay;
    private readonly ConcurrentDictionary<SecretScope, Watch> _watches = new();
    private readonly SemaphoreSlim _checking = new(1, 1);
    private readonly Lock _timerLock = new();
    private ITimer? _timer;
    private long _seenVersion = long.MinValue;

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
        Watch watch = _watches.GetOrAdd(scope, s => new Watch(Fingerprint(s, CancellationToken.None).AsTask().GetAwaiter().GetResult()));
        EnsureTimer();
        return watch.Token;
    }

    /// <summary>Asks for a check soon: this process changed something.</summary>
    public void Nudge()
    {
        if (!_watches.IsEmpty)
        {
            EnsureTimer();
            lock (_timerLock)
            {
                _timer?.Change(_coalescingDelay, _pollInterval);
            }
        }
    }

    /// <summary>Compares every watched scope with the store and fires those that changed.</summary>
    public async Task CheckAsync(CancellationToken cancellationToken)
    {
        await _checking.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            long version = await _store.GetChangeVersionAsync(cancellationToken).ConfigureAwait(false);
            foreach ((SecretScope scope, Watch watch) in _watches)
            {
                string fingerprint = await Fingerprint(scope, cancellationToken).ConfigureAwait(false);
                try
                {
                    if (watch.Advance(fingerprint))
                    {
                        VaultLog.ScopeChanged(_logger, scope);
                    }
                }
                catch (AggregateException ex)
                {
                    // A watcher's callback threw (every callback of the token still ran); other scopes must still fire.
                    VaultLog.ChangeCallbackFailed(_logger, scope, ex);
                }
            }

            // Recorded only once every scope was compared: a check that failed half-way is repeated in full.
            Volatile.Write(ref _seenVersion, version);
        }
        finally
        {
            _checking.Release();
        }
    }

    public void Dispose()
    {
        lock (_timerLock)
        {
            _timer?.Dispose();
            _timer = null;
        }

        foreach (Watch watch in _watches.Values)
        {
            watch.Dispose();
        }

        _checking.Dispose();
    }

    private void EnsureTimer()
    {
        lock (_timerLock)
        {
            _timer ??= _time.CreateTimer(_ => _ = OnTimerAsync(), null, _pollInterval, _pollInterval);
        }
    }

    private async Task OnTimerAsync()
    {
        try
        {
            // The cheap question first: a full check only when something may have changed.
            long version = await _store.GetChangeVersionAsync().ConfigureAwait(false);
            if (version != Volatile.Read(ref _seenVersion))
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

    // Names, versions and update times of a scope: changes whenever a secret of it is set or deleted.
    private async ValueTask<string> Fingerprint(SecretScope scope, CancellationToken cancellationToken)
    {
        var entries = new List<string>();
        await foreach (StoredSecret secret in _store.ListAsync(scope, cancellationToken).ConfigureAwait(false))
        {
            entries.Add($"{secret.Name.Value.ToUpperInvariant()}:{secret.Version}:{secret.UpdatedAt.UtcTicks}");
        }

        entries.Sort(StringComparer.Ordinal);
        return Convert.ToHexString(SHA256.HashData(Encoding.ASCII.GetBytes(string.Join('\n', entries))));
    }

    private sealed class Watch(string fingerprint) : IDisposable
    {
        private readonly Lock _lock = new();
        private string _fingerprint = fingerprint;
        private CancellationTokenSource _source = new();

        public IChangeToken Token
        {
            get
            {
                lock (_lock)
                {
                    return new CancellationChangeToken(_source.Token);
                }
            }
        }

        /// <summary>Records the scope's fingerprint; fires the current token when it differs.</summary>
        public bool Advance(string fingerprint)
        {
            CancellationTokenSource fired;
            lock (_lock)
            {
                if (fingerprint == _fingerprint)
                {
                    return false;
                }

                _fingerprint = fingerprint;
                fired = _source;
                _source = new CancellationTokenSource();
            }

            try
            {
                fired.Cancel();
            }
            finally
            {
                fired.Dispose();
            }

            return true;
        }

        public void Dispose()
        {
            lock (_lock)
            {
                _source.Dispose();
            }
        }
    }
}
