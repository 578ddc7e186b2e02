using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using RootCx.Vault.Cryptography;
using RootCx.Vault.Diagnostics;
using RootCx.Vault.Storage;

namespace RootCx.Vault.KeyLoading;

/// <summary>
/// Loads the master key ring and checks it against the store's key record (the ids of the keys the store was set up
/// with). Runs at host start (through <see cref="DependencyInjection.VaultStartupCheck"/>) or on first use without a
/// host. A key that does not match fails every later use too, so a vault with the wrong key never writes; a store that
/// could not be reached is asked again on the next use, so an outage at start-up does not outlive the outage.
/// </summary>
/// <remarks>
/// The record is a superset of the ids sealing the store's envelopes (stores refuse envelopes under unrecorded ids),
/// so checking the ring against it is enough, and costs the same whatever the number of secrets. An empty store is set
/// up with the active key's id; a ring that holds every recorded key brings its new active key into the record (the
/// first step of a rotation); any other ring is refused, even over a store that holds no secret.
/// </remarks>
internal sealed class KeyRingLoader : IDisposable
{
    // The record changes only when another process sets up the store or brings in a key at the same moment; a few
    // rounds settle it.
    private const int MaxAdmissionAttempts = 5;

    private readonly RootCxVaultOptions _options;
    private readonly ISecretStore _store;
    private readonly ILogger _logger;
    private readonly Lock _lock = new();
    private Task<MasterKeyRing>? _loading;
    private bool _disposed;

    public KeyRingLoader(IOptions<RootCxVaultOptions> options, ISecretStore store, ILogger<KeyRingLoader>? logger = null)
    {
        _options = options.Value;
        _store = store;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    public async ValueTask<MasterKeyRing> GetAsync(CancellationToken cancellationToken)
    {
        Task<MasterKeyRing> loading;
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);

            // A key problem is final; anything else (the store was unreachable, timed out) is tried again.
            if (_loading is null || _loading.IsCanceled || (_loading.IsFaulted && _loading.Exception.InnerException is not MasterKeyException))
            {
                _loading = LoadAsync();
            }

            loading = _loading;
        }

        return await loading.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _disposed = true;

            // A load still running disposes its ring itself when it sees the flag, or here once it has finished.
            _loading?.ContinueWith(
                loaded =>
                {
                    if (loaded.IsCompletedSuccessfully)
                    {
                        loaded.Result.Dispose();
                    }
                },
                CancellationToken.None,
                TaskContinuationOptions.ExecuteSynchronously,
                TaskScheduler.Default);
        }
    }

    private async Task<MasterKeyRing> LoadAsync()
    {
        try
        {
            IReadOnlySet<MasterKeyId> recorded = await _store.GetKeyIdsAsync(CancellationToken.None).ConfigureAwait(false);
            MasterKeyRing ring = LoadRing(recorded, out string? keyFile);
            try
            {
                await AdmitAsync(ring, recorded).ConfigureAwait(false);
                lock (_lock)
                {
                    ObjectDisposedException.ThrowIf(_disposed, this);
                }
            }
            catch
            {
                ring.Dispose();
                throw;
            }

            // Only a process whose key the store accepted tidies up: one with the wrong key changes nothing.
            if (keyFile is not null)
            {
                MasterKeyFile.DeleteAbandonedTemporaryFiles(keyFile);
            }

            return ring;
        }
        catch (MasterKeyException ex)
        {
            VaultLog.KeyCheckFailed(_logger, ex.Message);
            throw;
        }
    }

    /// <summary>Checks the ring against the record, setting up an empty store or recording a new active key.</summary>
    /// <exception cref="MasterKeyException">The ring lacks a key the store was set up with.</exception>
    private async Task AdmitAsync(MasterKeyRing ring, IReadOnlySet<MasterKeyId> recorded)
    {
        MasterKeyId active = ring.Active.Id;
        for (int attempt = 0; attempt < MaxAdmissionAttempts; attempt++)
        {
            MasterKeyId[] missing = [.. recorded.Where(id => !ring.KeyIds.Contains(id)).OrderBy(id => id.Value)];
            if (missing.Length > 0)
            {
                throw new MasterKeyException(
                    $"The store was set up with master key id(s) {Join(recorded)}, but the configured key ring holds {Join(ring.KeyIds)}: "
                    + $"it lacks {Join(missing)}. The configured master key is wrong, or a key still in use is missing from "
                    + "RootCxVaultOptions.PreviousMasterKeys. The vault refuses to start rather than seal data under a different key.");
            }

            if (recorded.Contains(active))
            {
                return;
            }

            // An empty store is set up with the active key; otherwise a recorded key the ring holds admits the new one.
            MasterKeyId? admittedBy = recorded.Count == 0 ? null : recorded.First();
            recorded = await _store.AddKeyIdAsync(active, admittedBy, CancellationToken.None).ConfigureAwait(false);
            if (recorded.Contains(active))
            {
                VaultLog.KeyRecorded(_logger, active, admittedBy?.ToString() ?? "none: the store was empty");
                return;
            }
        }

        throw new MasterKeyException(
            $"The store's key record kept changing while master key {active} was being recorded; another process is setting it up. Start again.");
    }

    private MasterKeyRing LoadRing(IReadOnlySet<MasterKeyId> recorded, out string? keyFile)
    {
        MasterKey active = LoadActiveKey(recorded, out keyFile);
        var previous = new List<MasterKey>();
        try
        {
            foreach (string hex in _options.PreviousMasterKeys)
            {
                previous.Add(MasterKey.FromHex(hex, "RootCxVaultOptions.PreviousMasterKeys"));
            }

            return new MasterKeyRing(active, previous);
        }
        catch
        {
            // A bad previous key, or a ring that refused a duplicate: wipe every key made so far (disposing is idempotent).
            active.Dispose();
            previous.ForEach(k => k.Dispose());
            throw;
        }
    }

    private MasterKey LoadActiveKey(IReadOnlySet<MasterKeyId> recorded, out string? keyFile)
    {
        keyFile = null;
        if (!string.IsNullOrWhiteSpace(_options.MasterKey))
        {
            MasterKey configured = MasterKey.FromHex(_options.MasterKey, $"{RootCxVaultOptions.MasterKeyEnvironmentVariable} or RootCxVaultOptions.MasterKey");
            VaultLog.MasterKeyLoaded(_logger, configured.Id, "configuration");
            return configured;
        }

        string path = Path.GetFullPath(_options.KeyFilePath);
        if (!File.Exists(path) && recorded.Count > 0)
        {
            throw new MasterKeyException(
                $"The store was set up with master key id(s) {Join(recorded)}, but no master key is configured "
                + $"({RootCxVaultOptions.MasterKeyEnvironmentVariable} is unset) and the key file '{path}' does not exist. Restore the key file "
                + $"from a backup or set {RootCxVaultOptions.MasterKeyEnvironmentVariable}; the vault never generates a new key for a store set up with another.");
        }

        MasterKey key = MasterKeyFile.Load(path, out bool created);
        if (created)
        {
            VaultLog.MasterKeyCreated(_logger, key.Id, path);
        }
        else
        {
            VaultLog.MasterKeyLoaded(_logger, key.Id, path);
        }

        if (MasterKeyFile.IsReadableByOthers(path))
        {
            VaultLog.MasterKeyFileReadableByOthers(_logger, path);
        }

        keyFile = path;
        return key;
    }

    private static string Join(IEnumerable<MasterKeyId> ids) => string.Join(", ", ids.OrderBy(id => id.Value));
}
