using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RootCx.Vault.Diagnostics;
using RootCx.Vault.Storage;

namespace RootCx.Vault.Cryptography;

/// <summary>
/// Loads the master key ring once and checks it against the key ids the store holds. Runs at host start (through
/// <see cref="DependencyInjection.VaultStartupCheck"/>) or on first use without a host. A failed check fails every later use too, so a
/// vault with the wrong key never writes; that includes a store that could not be reached at start-up, which takes a
/// restart once it is back.
/// </summary>
internal sealed class VaultKeyRing : IDisposable
{
    private readonly RootCxVaultOptions _options;
    private readonly ISecretStore _store;
    private readonly ILogger _logger;
    private readonly Lazy<Task<MasterKeyRing>> _ring;

    public VaultKeyRing(IOptions<RootCxVaultOptions> options, ISecretStore store, ILogger<VaultKeyRing> logger)
    {
        _options = options.Value;
        _store = store;
        _logger = logger;
        _ring = new Lazy<Task<MasterKeyRing>>(LoadAsync);
    }

    public async ValueTask<MasterKeyRing> GetAsync(CancellationToken cancellationToken) =>
        await _ring.Value.WaitAsync(cancellationToken).ConfigureAwait(false);

    public void Dispose()
    {
        if (_ring.IsValueCreated && _ring.Value.IsCompletedSuccessfully)
        {
            _ring.Value.Result.Dispose();
        }
    }

    private async Task<MasterKeyRing> LoadAsync()
    {
        try
        {
            IReadOnlySet<MasterKeyId> inUse = await _store.GetKeyIdsInUseAsync(CancellationToken.None).ConfigureAwait(false);
            MasterKeyRing ring = new(LoadActiveKey(inUse), _options.PreviousMasterKeys.Select(k => MasterKey.FromHex(k, "RootCxVaultOptions.PreviousMasterKeys")));
            MasterKeyId[] unknown = [.. inUse.Where(id => !ring.KeyIds.Contains(id)).OrderBy(id => id.Value)];
            if (unknown.Length > 0)
            {
                ring.Dispose();
                throw new MasterKeyException(
                    $"The store holds secrets sealed under master key id(s) {string.Join(", ", unknown)}, which the configured key ring "
                    + $"({string.Join(", ", ring.KeyIds)}) does not hold. The configured master key is wrong, or a previous key is missing "
                    + "from RootCxVaultOptions.PreviousMasterKeys. The vault refuses to start rather than seal new data under a different key.");
            }

            return ring;
        }
        catch (MasterKeyException ex)
        {
            VaultLog.KeyCheckFailed(_logger, ex.Message);
            throw;
        }
    }

    private MasterKey LoadActiveKey(IReadOnlySet<MasterKeyId> inUse)
    {
        if (!string.IsNullOrWhiteSpace(_options.MasterKey))
        {
            MasterKey configured = MasterKey.FromHex(_options.MasterKey, $"{RootCxVaultOptions.MasterKeyEnvironmentVariable} or RootCxVaultOptions.MasterKey");
            VaultLog.MasterKeyLoaded(_logger, configured.Id, "configuration");
            return configured;
        }

        string path = Path.GetFullPath(_options.KeyFilePath);
        if (!File.Exists(path) && inUse.Count > 0)
        {
            throw new MasterKeyException(
                $"The store holds secrets sealed under master key id(s) {string.Join(", ", inUse.OrderBy(id => id.Value))}, but no master key is configured "
                + $"({RootCxVaultOptions.MasterKeyEnvironmentVariable} is unset) and the key file '{path}' does not exist. Restore the key file "
                + $"from a backup or set {RootCxVaultOptions.MasterKeyEnvironmentVariable}; the vault never generates a new key over existing data.");
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

        return key;
    }
}
