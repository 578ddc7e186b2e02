using RootCx.Vault.Storage;

namespace RootCx.Vault.FileSystem;

public sealed partial class FileSystemSecretStore
{
    /// <inheritdoc />
    /// <remarks>
    /// The batch is one group commit, as concurrent sets share one: every new file is written and fsynced, renamed into
    /// place, then each folder is fsynced once, and the change versions move once. A crash part-way can leave some of
    /// the files in place (each whole); importing the batch again completes it. A name with a live or deleted secret's
    /// file, also a damaged one, is left as it is.
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
                    NamePaths paths = _layout.Of(secret.Scope, secret.Name);
                    if (batch.Exists(paths.Live) || batch.Exists(paths.Deleted) || PurgedVersion(batch, paths) >= secret.Version)
                    {
                        continue;
                    }

                    // Without history: files a purged secret may have left in its history folder are outside its range.
                    batch.CreateDirectory(_layout.ScopeFolder(secret.Scope));
                    batch.Write(paths.Live, SecretFile.Encode(secret));
                    batch.Touch(secret.Scope);
                    written++;
                }

                return written;
            },
            cancellationToken);
    }
}
