using System.Security.Cryptography;
using RootCx.Vault.Auditing;
using RootCx.Vault.Cryptography;
using RootCx.Vault.Diagnostics;
using RootCx.Vault.Storage;

namespace RootCx.Vault.Management;

/// <summary>History and deleted secrets: list, restore, recover, purge. Values are opened only to be sealed again.</summary>
internal sealed partial class SecretVault
{
    public async ValueTask<IReadOnlyList<SecretVersionMetadata>> ListVersionsAsync(SecretScope scope, string name, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(scope);
        SecretName secretName = SecretName.Parse(name);
        await keyRing.GetAsync(cancellationToken).ConfigureAwait(false);
        if (await store.GetAsync(scope, secretName, cancellationToken).ConfigureAwait(false) is not { } current)
        {
            return [];
        }

        IReadOnlyList<StoredSecret> older = await store.GetHistoryAsync(scope, secretName, cancellationToken).ConfigureAwait(false);
        IReadOnlyDictionary<long, string> actors = await ActorsOfAsync(scope, secretName, cancellationToken).ConfigureAwait(false);
        return
        [
            new SecretVersionMetadata(current.Version, current.UpdatedAt, current.KeyId, actors.GetValueOrDefault(current.Version), isCurrent: true),
            .. older.Where(v => v.Version < current.Version).Select(v => new SecretVersionMetadata(v.Version, v.UpdatedAt, v.KeyId, actors.GetValueOrDefault(v.Version), isCurrent: false)),
        ];
    }

    public async ValueTask<SecretMetadata?> RestoreVersionAsync(SecretScope scope, string name, long version, SecretPrecondition precondition, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(scope);
        SecretName secretName = SecretName.Parse(name);
        MasterKeyRing ring = await keyRing.GetAsync(cancellationToken).ConfigureAwait(false);
        if (await store.GetAsync(scope, secretName, cancellationToken).ConfigureAwait(false) is not { } current)
        {
            return null;
        }

        StoredSecret? restored = current.Version == version
            ? current
            : (await store.GetHistoryAsync(scope, secretName, cancellationToken).ConfigureAwait(false)).FirstOrDefault(v => v.Version == version);
        if (restored is null)
        {
            return null;
        }

        // Sealed again under the active key (and a fresh nonce): the value goes from envelope to envelope, never out.
        byte[] plaintext = SecretEnvelope.Open(ring, scope, current.Name, restored.Envelope.Span);
        try
        {
            return await SetCoreAsync(scope, current.Name, plaintext, precondition, cancellationToken, SecretAuditAction.Restore).ConfigureAwait(false);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plaintext);
        }
    }

    public async ValueTask<IReadOnlyList<DeletedSecretMetadata>> ListDeletedAsync(SecretScope scope, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(scope);
        await keyRing.GetAsync(cancellationToken).ConfigureAwait(false);
        var deleted = new List<DeletedSecretMetadata>();
        await foreach (DeletedSecret secret in store.ListDeletedAsync(scope, cancellationToken).ConfigureAwait(false))
        {
            deleted.Add(new DeletedSecretMetadata(ToMetadata(secret.Secret), secret.DeletedAt, secret.DeletedAt + _options.DeletedRetention));
        }

        deleted.Sort((a, b) => StringComparer.OrdinalIgnoreCase.Compare(a.Name, b.Name));
        return deleted;
    }

    public async ValueTask<SecretMetadata?> RecoverAsync(SecretScope scope, string name, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(scope);
        SecretName secretName = SecretName.Parse(name);
        await keyRing.GetAsync(cancellationToken).ConfigureAwait(false);
        StoredSecret? recovered;
        try
        {
            recovered = await store.RecoverAsync(scope, secretName, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (SecretAuditTrail.OutcomeOf(ex) is { } outcome)
        {
            await audit.RecordAsync(SecretAuditAction.Recover, scope, secretName.Value, null, null, outcome).ConfigureAwait(false);
            throw;
        }

        await audit.RecordAsync(SecretAuditAction.Recover, scope, secretName.Value, recovered?.Version, recovered?.KeyId, SecretAuditOutcome.Succeeded).ConfigureAwait(false);
        if (recovered is null)
        {
            return null;
        }

        VaultLog.SecretRecovered(_logger, scope, recovered.Name.Value, recovered.Version);
        changes.Nudge(scope);
        return ToMetadata(recovered);
    }

    public async ValueTask<bool> PurgeAsync(SecretScope scope, string name, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(scope);
        SecretName secretName = SecretName.Parse(name);
        await keyRing.GetAsync(cancellationToken).ConfigureAwait(false);
        return await PurgeCoreAsync(scope, secretName, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<int> PurgeExpiredAsync(CancellationToken cancellationToken = default)
    {
        await keyRing.GetAsync(cancellationToken).ConfigureAwait(false);
        IReadOnlyList<DeletedSecret> purged = await store.PurgeDeletedAsync(time.GetUtcNow() - _options.DeletedRetention, cancellationToken).ConfigureAwait(false);
        foreach (DeletedSecret secret in purged)
        {
            await RecordPurgedAsync(secret).ConfigureAwait(false);
        }

        return purged.Count;
    }

    private async ValueTask<bool> PurgeCoreAsync(SecretScope scope, SecretName name, CancellationToken cancellationToken)
    {
        DeletedSecret? purged;
        try
        {
            purged = await store.PurgeAsync(scope, name, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (SecretAuditTrail.OutcomeOf(ex) is { } outcome)
        {
            await audit.RecordAsync(SecretAuditAction.Purge, scope, name.Value, null, null, outcome).ConfigureAwait(false);
            throw;
        }

        if (purged is null)
        {
            await audit.RecordAsync(SecretAuditAction.Purge, scope, name.Value, null, null, SecretAuditOutcome.Succeeded).ConfigureAwait(false);
            return false;
        }

        await RecordPurgedAsync(purged).ConfigureAwait(false);
        return true;
    }

    private async ValueTask RecordPurgedAsync(DeletedSecret purged)
    {
        StoredSecret secret = purged.Secret;
        await audit.RecordAsync(SecretAuditAction.Purge, secret.Scope, secret.Name.Value, secret.Version, secret.KeyId, SecretAuditOutcome.Succeeded).ConfigureAwait(false);
        VaultLog.SecretPurged(_logger, secret.Scope, secret.Name.Value, secret.Version);
        changes.Nudge(secret.Scope);
    }

    // Who wrote each version, as the durable trail recorded it; nothing when there is no trail or it cannot be read.
    private async ValueTask<IReadOnlyDictionary<long, string>> ActorsOfAsync(SecretScope scope, SecretName name, CancellationToken cancellationToken)
    {
        var actors = new Dictionary<long, string>();
        if (auditLog is null)
        {
            return actors;
        }

        try
        {
            long after = 0;
            while (true)
            {
                var query = new SecretAuditQuery { Scope = scope, Name = name.Value, AfterSequence = after, Limit = SecretAuditQuery.MaxLimit };
                IReadOnlyList<SecretAuditRecord> page = await auditLog.ReadAsync(query, cancellationToken).ConfigureAwait(false);
                foreach (SecretAuditRecord record in page)
                {
                    SecretAuditEvent e = record.Event;
                    if (e is { Outcome: SecretAuditOutcome.Succeeded, Version: { } version, Action: SecretAuditAction.Set or SecretAuditAction.Restore })
                    {
                        actors[version] = e.Actor;
                    }
                    else if (e is { Outcome: SecretAuditOutcome.Succeeded, Version: { } resealed, Action: SecretAuditAction.Rotate })
                    {
                        // A live secret's re-seal is a new version (its writer is the rotation); an older version's keeps its writer.
                        actors.TryAdd(resealed, e.Actor);
                    }
                }

                if (page.Count < query.Limit)
                {
                    return actors;
                }

                after = page[^1].Sequence;
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            VaultLog.AuditReadFailed(_logger, scope, name.Value, ex);
            return actors;
        }
    }
}
