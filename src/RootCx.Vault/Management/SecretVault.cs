using System.Buffers;
using System.Security.Cryptography;
using System.Text.Unicode;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using RootCx.Vault.Auditing;
using RootCx.Vault.Changes;
using RootCx.Vault.Cryptography;
using RootCx.Vault.Diagnostics;
using RootCx.Vault.KeyLoading;
using RootCx.Vault.Storage;

namespace RootCx.Vault.Management;

/// <summary>The management surface: validates, seals with the active key, and stores. Never returns plaintext.</summary>
internal sealed partial class SecretVault(
    ISecretStore store,
    KeyRingLoader keyRing,
    SecretChangeFeed changes,
    TimeProvider time,
    VaultTelemetry telemetry,
    SecretAuditTrail audit,
    IOptions<RootCxVaultOptions> options,
    ISecretAuditLog? auditLog = null,
    ILogger<SecretVault>? logger = null)
    : ISecretVault
{
    private readonly ILogger _logger = (ILogger?)logger ?? NullLogger.Instance;
    private readonly RootCxVaultOptions _options = options.Value;

    public async ValueTask<SecretMetadata> SetAsync(SecretScope scope, string name, string value, SecretPrecondition precondition, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(scope);
        ArgumentNullException.ThrowIfNull(value);
        SecretName secretName = SecretName.Parse(name);

        // Every UTF-16 unit takes at least one UTF-8 byte: reject the oversized before encoding anything.
        if (value.Length > SecretValueRules.MaxUtf8Bytes)
        {
            throw new SecretValidationException(SecretValidationKind.SecretValueTooLarge, $"A secret value must be at most {SecretValueRules.MaxUtf8Bytes} bytes of UTF-8.");
        }

        byte[] utf8 = ArrayPool<byte>.Shared.Rent(value.Length * 3);
        try
        {
            if (Utf8.FromUtf16(value, utf8, out _, out int written, replaceInvalidSequences: false) != OperationStatus.Done)
            {
                throw new SecretValidationException(SecretValidationKind.InvalidSecretValue, "A secret value must be valid Unicode text (it holds an unpaired surrogate).");
            }

            return await SetCoreAsync(scope, secretName, utf8.AsMemory(0, written), precondition, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(utf8);
            ArrayPool<byte>.Shared.Return(utf8);
        }
    }

    public ValueTask<SecretMetadata> SetAsync(SecretScope scope, string name, ReadOnlyMemory<byte> utf8Value, SecretPrecondition precondition, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(scope);
        return SetCoreAsync(scope, SecretName.Parse(name), utf8Value, precondition, cancellationToken);
    }

    public async ValueTask<IReadOnlyList<SecretMetadata>> ListAsync(SecretScope scope, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(scope);
        await keyRing.GetAsync(cancellationToken).ConfigureAwait(false);
        var secrets = new List<SecretMetadata>();
        await foreach (StoredSecret stored in store.ListAsync(scope, cancellationToken).ConfigureAwait(false))
        {
            secrets.Add(ToMetadata(stored));
        }

        secrets.Sort((a, b) => StringComparer.OrdinalIgnoreCase.Compare(a.Name, b.Name));
        return secrets;
    }

    public async ValueTask<bool> DeleteAsync(SecretScope scope, string name, SecretPrecondition precondition, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(scope);
        SecretName secretName = SecretName.Parse(name);

        // A vault whose key check failed changes nothing, deletes included.
        await keyRing.GetAsync(cancellationToken).ConfigureAwait(false);
        bool deleted;
        try
        {
            deleted = await store.DeleteAsync(scope, secretName, time.GetUtcNow(), precondition, cancellationToken).ConfigureAwait(false);
        }
        catch (SecretConflictException ex)
        {
            telemetry.Conflict(scope, "delete");
            await audit.RecordAsync(SecretAuditAction.Delete, scope, secretName.Value, ex.CurrentVersion, null, SecretAuditOutcome.Conflict).ConfigureAwait(false);
            throw;
        }
        catch (Exception ex) when (SecretAuditTrail.OutcomeOf(ex) is { } outcome)
        {
            await audit.RecordAsync(SecretAuditAction.Delete, scope, secretName.Value, null, null, outcome).ConfigureAwait(false);
            throw;
        }

        // Deleting an absent secret succeeds too, and is recorded: someone tried.
        await audit.RecordAsync(SecretAuditAction.Delete, scope, secretName.Value, null, null, SecretAuditOutcome.Succeeded).ConfigureAwait(false);

        if (deleted)
        {
            VaultLog.SecretDeleted(_logger, scope, secretName.Value);
            telemetry.SecretDeleted(scope);
            changes.Nudge(scope);

            // No retention: the delete is final at once, in a second write. The delete stands whatever the purge does
            // (failing it would invite a retry of what succeeded); what a crash or outage leaves, the purge service takes.
            if (_options.DeletedRetention == TimeSpan.Zero)
            {
                try
                {
                    await PurgeCoreAsync(scope, secretName, CancellationToken.None).ConfigureAwait(false);
                }
                catch (Exception ex) when (SecretAuditTrail.OutcomeOf(ex) is not null)
                {
                    VaultLog.PurgeFailed(_logger, ex);
                }
            }
        }

        return deleted;
    }

    public ValueTask<int> RotateAsync(CancellationToken cancellationToken = default) => RotateAsync(null, cancellationToken);

    public async ValueTask<int> RotateAsync(IProgress<int>? progress, CancellationToken cancellationToken = default)
    {
        MasterKeyRing ring = await keyRing.GetAsync(cancellationToken).ConfigureAwait(false);
        var rotation = new Rotation(store, audit, telemetry, changes, ring, progress);
        await foreach (SecretScope scope in store.ListScopesAsync(cancellationToken).ConfigureAwait(false))
        {
            // Live and deleted secrets, then the older versions: an old key retires only when nothing is sealed under it.
            await rotation.ResealAsync(scope, store.ListAsync(scope, cancellationToken), cancellationToken).ConfigureAwait(false);
            await rotation.ResealAsync(scope, DeletedSecretsOf(scope, cancellationToken), cancellationToken).ConfigureAwait(false);
            await rotation.ResealHistoryAsync(scope, cancellationToken).ConfigureAwait(false);
        }

        VaultLog.Rotated(_logger, rotation.Resealed, ring.Active.Id);

        await RetireKeysAsync(ring, cancellationToken).ConfigureAwait(false);
        return rotation.Resealed;
    }

    private async IAsyncEnumerable<StoredSecret> DeletedSecretsOf(SecretScope scope, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (DeletedSecret deleted in store.ListDeletedAsync(scope, cancellationToken).ConfigureAwait(false))
        {
            yield return deleted.Secret;
        }
    }

    // Only the previous keys of this ring: an id recorded by another host (a newer key being rolled out) is not ours to
    // retire. The store forgets a key only when nothing is sealed under it, so a host still sealing under an old key
    // keeps it recorded (and the rotation is not finished until that host moves to the new key).
    private async ValueTask RetireKeysAsync(MasterKeyRing ring, CancellationToken cancellationToken)
    {
        IReadOnlySet<MasterKeyId> recorded = await store.GetKeyIdsAsync(cancellationToken).ConfigureAwait(false);
        foreach (MasterKeyId keyId in ring.KeyIds.Where(id => id != ring.Active.Id && recorded.Contains(id)))
        {
            if (await store.RemoveKeyIdAsync(keyId, cancellationToken).ConfigureAwait(false))
            {
                VaultLog.KeyRetired(_logger, keyId);
            }
            else
            {
                VaultLog.KeyStillInUse(_logger, keyId, ring.Active.Id);
            }
        }
    }

    private async ValueTask<SecretMetadata> SetCoreAsync(SecretScope scope, SecretName name, ReadOnlyMemory<byte> utf8Value, SecretPrecondition precondition, CancellationToken cancellationToken, SecretAuditAction action = SecretAuditAction.Set)
    {
        SecretValueRules.Validate(utf8Value.Span);
        MasterKeyRing ring = await keyRing.GetAsync(cancellationToken).ConfigureAwait(false);
        byte[] envelope = SecretEnvelope.Seal(ring.Active, scope, name, utf8Value.Span);
        StoredSecret stored;
        try
        {
            stored = await store.SetAsync(scope, name, envelope, ring.Active.Id, time.GetUtcNow(), precondition, _options.MaxVersions, cancellationToken).ConfigureAwait(false);
        }
        catch (SecretConflictException ex)
        {
            telemetry.Conflict(scope, "set");
            await audit.RecordAsync(action, scope, name.Value, ex.CurrentVersion, null, SecretAuditOutcome.Conflict).ConfigureAwait(false);
            throw;
        }
        catch (Exception ex) when (SecretAuditTrail.OutcomeOf(ex) is { } outcome)
        {
            await audit.RecordAsync(action, scope, name.Value, null, null, outcome).ConfigureAwait(false);
            throw;
        }

        await audit.RecordAsync(action, scope, stored.Name.Value, stored.Version, stored.KeyId, SecretAuditOutcome.Succeeded).ConfigureAwait(false);

        VaultLog.SecretSet(_logger, scope, stored.Name.Value, stored.Version, stored.KeyId);
        telemetry.SecretSet(scope);
        changes.Nudge(scope);
        return ToMetadata(stored);
    }

    private static SecretMetadata ToMetadata(StoredSecret stored) =>
        new(stored.Name.Value, stored.CreatedAt, stored.UpdatedAt, stored.Version, stored.KeyId);
}
