using Microsoft.Extensions.Logging;
using RootCx.Vault.Cryptography;
using RootCx.Vault.Diagnostics;
using RootCx.Vault.Storage;

namespace RootCx.Vault;

/// <summary>The runtime surface: opens envelopes in memory for injection.</summary>
internal sealed class SecretReader(ISecretStore store, VaultKeyRing keyRing, ILogger<SecretReader> logger) : ISecretReader
{
    public async ValueTask<SecretValue?> GetAsync(SecretScope scope, string name, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(scope);
        SecretName secretName = SecretName.Parse(name);
        MasterKeyRing ring = await keyRing.GetAsync(cancellationToken).ConfigureAwait(false);
        StoredSecret? stored = await store.GetAsync(scope, secretName, cancellationToken).ConfigureAwait(false);
        if (stored is null)
        {
            return null;
        }

        SecretValue value = Open(ring, stored);
        VaultLog.SecretsDecrypted(logger, scope, 1);
        return value;
    }

    public async ValueTask<SecretBundle> GetAllAsync(SecretScope scope, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(scope);
        MasterKeyRing ring = await keyRing.GetAsync(cancellationToken).ConfigureAwait(false);
        var values = new List<SecretValue>();
        try
        {
            await foreach (StoredSecret stored in store.ListAsync(scope, cancellationToken).ConfigureAwait(false))
            {
                values.Add(Open(ring, stored));
            }
        }
        catch
        {
            values.ForEach(v => v.Dispose());
            throw;
        }

        values.Sort((a, b) => StringComparer.OrdinalIgnoreCase.Compare(a.Name, b.Name));
        VaultLog.SecretsDecrypted(logger, scope, values.Count);
        return new SecretBundle(scope, [.. values]);
    }

    private SecretValue Open(MasterKeyRing ring, StoredSecret stored)
    {
        try
        {
            return new SecretValue(stored.Name, SecretEnvelope.Open(ring, stored.Scope, stored.Name, stored.Envelope.Span));
        }
        catch (SecretDecryptionException ex)
        {
            VaultLog.DecryptionFailed(logger, stored.Scope, stored.Name.Value, ex);
            throw;
        }
    }
}
