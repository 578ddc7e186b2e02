using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using RootCx.Vault.Auditing;
using RootCx.Vault.Cryptography;
using RootCx.Vault.Diagnostics;
using RootCx.Vault.KeyLoading;
using RootCx.Vault.Storage;

namespace RootCx.Vault.Runtime;

/// <summary>The runtime surface: opens envelopes in memory for injection.</summary>
internal sealed class SecretReader(ISecretStore store, KeyRingLoader keyRing, VaultTelemetry telemetry, SecretAuditTrail audit, ILogger<SecretReader>? logger = null) : ISecretReader
{
    private readonly ILogger _logger = (ILogger?)logger ?? NullLogger.Instance;

    public async ValueTask<SecretValue?> GetAsync(SecretScope scope, string name, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(scope);
        SecretName secretName = SecretName.Parse(name);
        MasterKeyRing ring = await keyRing.GetAsync(cancellationToken).ConfigureAwait(false);
        StoredSecret? stored;
        SecretValue? value;
        try
        {
            stored = await store.GetAsync(scope, secretName, cancellationToken).ConfigureAwait(false);

            // Opened as the secret that was asked for: an envelope stored under another name fails authentication.
            value = stored is null ? null : Open(ring, scope, secretName, stored);
        }
        catch (Exception ex) when (SecretAuditTrail.OutcomeOf(ex) is { } outcome)
        {
            await audit.RecordAsync(SecretAuditAction.Read, scope, secretName.Value, null, null, outcome).ConfigureAwait(false);
            throw;
        }

        await audit.RecordAsync(SecretAuditAction.Read, scope, stored?.Name.Value ?? secretName.Value, stored?.Version, stored?.KeyId, SecretAuditOutcome.Succeeded).ConfigureAwait(false);
        if (value is null)
        {
            return null;
        }

        VaultLog.SecretsDecrypted(_logger, scope, 1);
        telemetry.SecretsRead(scope, 1);
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
                values.Add(Open(ring, scope, stored.Name, stored));
            }
        }
        catch (Exception ex)
        {
            values.ForEach(v => v.Dispose());
            if (SecretAuditTrail.OutcomeOf(ex) is { } outcome)
            {
                await audit.RecordAsync(SecretAuditAction.ReadAll, scope, null, null, null, outcome).ConfigureAwait(false);
            }

            throw;
        }

        await audit.RecordAsync(SecretAuditAction.ReadAll, scope, null, null, null, SecretAuditOutcome.Succeeded).ConfigureAwait(false);

        values.Sort((a, b) => StringComparer.OrdinalIgnoreCase.Compare(a.Name, b.Name));
        VaultLog.SecretsDecrypted(_logger, scope, values.Count);
        telemetry.SecretsRead(scope, values.Count);
        return new SecretBundle(scope, [.. values]);
    }

    private SecretValue Open(MasterKeyRing ring, SecretScope scope, SecretName name, StoredSecret stored)
    {
        try
        {
            return new SecretValue(stored.Name, SecretEnvelope.Open(ring, scope, name, stored.Envelope.Span));
        }
        catch (SecretDecryptionException ex)
        {
            VaultLog.DecryptionFailed(_logger, scope, name.Value, ex);
            telemetry.DecryptionFailed(scope);
            throw;
        }
    }
}
