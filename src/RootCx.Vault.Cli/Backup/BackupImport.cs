using System.Globalization;
using System.Security.Cryptography;
using RootCx.Vault.Cli.Hosting;

namespace RootCx.Vault.Cli.Backup;

/// <summary>
/// Writes an authenticated backup into a store, scope by scope. The backup holds each scope's secrets ordered by name,
/// as the vault lists them, so the two are merged side by side and only one scope's metadata is held at a time.
/// For a secret in both: the same value is left alone; a target copy not written after the backup's copy is
/// overwritten; a newer target copy is a conflict, listed and left untouched unless <c>overwriteNewer</c>.
/// </summary>
/// <remarks>
/// Every write is conditional on what was compared (<see cref="SecretPrecondition"/>): a secret another writer creates,
/// changes or deletes between the comparison and the import's own write is a conflict, listed and kept, never overwritten.
/// </remarks>
internal sealed class BackupImport(VaultSession session, ImportMode mode, bool overwriteNewer, DateTimeOffset exportedAt)
{
    public ImportTally Tally { get; } = new();

    /// <summary>Imports every secret the reader yields, reporting after each how many were handled.</summary>
    public async Task RunAsync(IEnumerable<BackupSecret> secrets, IProgress<int> progress, CancellationToken cancellationToken)
    {
        SecretScope? scope = null;
        IReadOnlyList<SecretMetadata> target = [];
        int next = 0;
        int done = 0;
        foreach (BackupSecret secret in secrets)
        {
            using (secret)
            {
                if (!secret.Scope.Equals(scope))
                {
                    if (scope is not null)
                    {
                        await FinishScopeAsync(scope, target, next, cancellationToken).ConfigureAwait(false);
                    }

                    scope = secret.Scope;
                    target = await session.Vault.ListAsync(scope, cancellationToken).ConfigureAwait(false);
                    next = 0;
                }

                while (next < target.Count && StringComparer.OrdinalIgnoreCase.Compare(target[next].Name, secret.Name.Value) < 0)
                {
                    await HandleOnlyInTargetAsync(scope, target[next++], cancellationToken).ConfigureAwait(false);
                }

                if (next < target.Count && StringComparer.OrdinalIgnoreCase.Equals(target[next].Name, secret.Name.Value))
                {
                    await HandleInBothAsync(target[next++], secret, cancellationToken).ConfigureAwait(false);
                }
                else if (await TryWriteAsync(() => session.Vault.SetAsync(secret.Scope, secret.Name.Value, secret.Value, SecretPrecondition.IfAbsent, cancellationToken)))
                {
                    Tally.Added++;
                }

                progress.Report(++done);
            }
        }

        if (scope is not null)
        {
            await FinishScopeAsync(scope, target, next, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task FinishScopeAsync(SecretScope scope, IReadOnlyList<SecretMetadata> target, int next, CancellationToken cancellationToken)
    {
        for (; next < target.Count; next++)
        {
            await HandleOnlyInTargetAsync(scope, target[next], cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task HandleInBothAsync(SecretMetadata current, BackupSecret secret, CancellationToken cancellationToken)
    {
        using (SecretValue? value = await session.Reader.GetAsync(secret.Scope, secret.Name.Value, cancellationToken).ConfigureAwait(false))
        {
            if (value is not null && CryptographicOperations.FixedTimeEquals(value.Utf8, secret.Value.Span))
            {
                Tally.Unchanged++;
                return;
            }
        }

        if (current.UpdatedAt > secret.UpdatedAt && !overwriteNewer)
        {
            Tally.Conflicts.Add($"{secret.Scope}/{current.Name}: the store's value (updated {Format(current.UpdatedAt)}) is newer than the backup's ({Format(secret.UpdatedAt)}); kept");
            return;
        }

        if (await TryWriteAsync(() => session.Vault.SetAsync(secret.Scope, secret.Name.Value, secret.Value, SecretPrecondition.IfVersion(current.Version), cancellationToken)))
        {
            Tally.Updated++;
        }
    }

    private async Task HandleOnlyInTargetAsync(SecretScope scope, SecretMetadata current, CancellationToken cancellationToken)
    {
        if (mode != ImportMode.Replace)
        {
            return;
        }

        // Written after the export began, it may be missing from the backup because it is new, not because it was deleted.
        if (current.UpdatedAt > exportedAt && !overwriteNewer)
        {
            Tally.Conflicts.Add($"{scope}/{current.Name}: not in the backup, but written (updated {Format(current.UpdatedAt)}) after the export began ({Format(exportedAt)}); kept");
            return;
        }

        if (await TryWriteAsync(async () => await session.Vault.DeleteAsync(scope, current.Name, SecretPrecondition.IfVersion(current.Version), cancellationToken).ConfigureAwait(false)))
        {
            Tally.Deleted++;
        }
    }

    /// <summary>Runs one conditional write; returns <see langword="false"/>, with the conflict listed, when the secret moved meanwhile.</summary>
    private async Task<bool> TryWriteAsync<T>(Func<ValueTask<T>> write)
    {
        try
        {
            await write().ConfigureAwait(false);
            return true;
        }
        catch (SecretConflictException conflict)
        {
            Tally.Conflicts.Add($"{conflict.Scope}/{conflict.Name}: changed in the store while importing; kept");
            return false;
        }
    }

    private static string Format(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);
}
