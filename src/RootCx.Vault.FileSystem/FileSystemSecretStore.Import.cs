using RootCx.Vault.Storage;

namespace RootCx.Vault.FileSystem;

public sealed partial class FileSystemSecretStore
{
    /// <inheritdoc />
    /// <remarks>
    /// The batch is one group commit, as concurrent sets share one: every new file is written and fsynced, renamed into
    /// place, then each folder is fsynced once, and the change versions move once. A crash part-way can leave some of
    /// the files in place (each whole); importing the batch again completes it. A name whose file exists, also a damaged
    /// one, is left as it is.
    /// </remarks>
    public ValueTask<int> ImportAsync(IReadOnlyList<StoredSecret> secrets, CancellationToken cancellationToken = default)
    {
        ImportBatch.RequireDistinctNames(secrets);
        if (secrets.Count == 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            return ValueTask.FromResult(0);
        }

        return WriteAsync(
            batch =>
            {
                foreach (MasterKeyId keyId in secrets.Select(s => s.KeyId).Distinct())
                {
                    RequireRecordedKey(keyId);
                }

                int written = 0;
                foreach (StoredSecret secret in secrets)
                {
                    string path = PathOf(secret.Scope, secret.Name);
                    if (batch.Read(path) is not null || ReadDeletedVersion(batch, TombstonePathOf(secret.Scope, secret.Name)) >= secret.Version)
                    {
                        continue;
                    }

                    CreateScopeDirectory(secret.Scope);
                    batch.Write(path, SecretFile.Encode(secret));
                    batch.Touch(secret.Scope);
                    written++;
                }

                return written;
            },
            cancellationToken);
    }
}
