using System.Security.Cryptography;
using RootCx.Vault.Auditing;
using RootCx.Vault.Changes;
using RootCx.Vault.Cryptography;
using RootCx.Vault.Diagnostics;
using RootCx.Vault.Storage;

namespace RootCx.Vault.Management;

internal sealed partial class SecretVault
{
    /// <summary>
    /// One run of <see cref="RotateAsync(IProgress{int}?, CancellationToken)"/>: re-seals, under the active key, every
    /// envelope sealed under another (live, deleted, and each older version), one audit event per envelope re-sealed.
    /// </summary>
    private sealed class Rotation(ISecretStore store, SecretAuditTrail audit, VaultTelemetry telemetry, SecretChangeFeed changes, MasterKeyRing ring, IProgress<int>? progress)
    {
        private int _examined;

        public int Resealed { get; private set; }

        public async ValueTask ResealAsync(SecretScope scope, IAsyncEnumerable<StoredSecret> secrets, CancellationToken cancellationToken)
        {
            await foreach (StoredSecret stored in secrets.ConfigureAwait(false))
            {
                if (Examine(stored))
                {
                    // The swap happens only if the secret was not set meanwhile.
                    StoredSecret? replaced = await RecordedAsync(scope, stored, envelope =>
                        store.ReplaceEnvelopeAsync(scope, stored.Name, stored.Version, envelope, ring.Active.Id, cancellationToken)).ConfigureAwait(false);
                    if (replaced is not null)
                    {
                        await ResealedAsync(scope, replaced.Name, replaced.Version).ConfigureAwait(false);
                    }
                }
            }
        }

        public async ValueTask ResealHistoryAsync(SecretScope scope, CancellationToken cancellationToken)
        {
            await foreach (StoredSecret older in store.ListHistoryAsync(scope, cancellationToken).ConfigureAwait(false))
            {
                // An older version is never rewritten by anyone else, only dropped: a false answer means it went.
                if (Examine(older) && await RecordedAsync(scope, older, envelope =>
                    store.ReplaceHistoryEnvelopeAsync(scope, older.Name, older.Version, envelope, ring.Active.Id, cancellationToken)).ConfigureAwait(false))
                {
                    await ResealedAsync(scope, older.Name, older.Version).ConfigureAwait(false);
                }
            }
        }

        private bool Examine(StoredSecret stored)
        {
            progress?.Report(++_examined);
            return stored.KeyId != ring.Active.Id;
        }

        private async ValueTask<T> RecordedAsync<T>(SecretScope scope, StoredSecret stored, Func<byte[], ValueTask<T>> replace)
        {
            try
            {
                byte[] plaintext = SecretEnvelope.Open(ring, scope, stored.Name, stored.Envelope.Span);
                try
                {
                    return await replace(SecretEnvelope.Seal(ring.Active, scope, stored.Name, plaintext)).ConfigureAwait(false);
                }
                finally
                {
                    CryptographicOperations.ZeroMemory(plaintext);
                }
            }
            catch (Exception ex) when (SecretAuditTrail.OutcomeOf(ex) is { } outcome)
            {
                // An envelope that could not be re-sealed (tampered, the store failed) stops the rotation, on the record.
                await audit.RecordAsync(SecretAuditAction.Rotate, scope, stored.Name.Value, stored.Version, stored.KeyId, outcome).ConfigureAwait(false);
                throw;
            }
        }

        // One event per re-sealed envelope: the trail then says which key seals each version.
        private async ValueTask ResealedAsync(SecretScope scope, SecretName name, long version)
        {
            await audit.RecordAsync(SecretAuditAction.Rotate, scope, name.Value, version, ring.Active.Id, SecretAuditOutcome.Succeeded).ConfigureAwait(false);
            Resealed++;
            telemetry.Resealed(scope);
            changes.Nudge(scope);
        }
    }
}
