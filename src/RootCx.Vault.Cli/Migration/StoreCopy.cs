using RootCx.Vault.Storage;

namespace RootCx.Vault.Cli.Migration;

/// <summary>
/// Copies every secret of a store into another as it is stored, envelope and metadata, never opening one, and checks
/// each scope against the target once it is written. Scopes are gathered until they hold at least
/// <see cref="BatchSize"/> secrets, written through <see cref="ISecretStore.ImportAsync"/> in batches of at most that,
/// then each is listed back from the target and compared with what was read: the source is read once, and memory
/// follows the largest scope (which a store's listing holds anyway), not the store. What the target holds by name is left.
/// Older versions and deleted secrets are not copied (the copy-in contract takes live secrets); they are counted.
/// </summary>
internal static class StoreCopy
{
    /// <summary>Secrets per import: one statement or one group commit each, large enough that the round trip is shared.</summary>
    public const int BatchSize = 1000;

    /// <summary>Copies and checks, reporting how many scopes are done.</summary>
    /// <remarks>
    /// While one group of scopes is written and checked, the next is read: the source's reads and the target's writes
    /// overlap. Groups are written one after another, never two at once.
    /// </remarks>
    public static async Task<MigrationResult> CopyAsync(ISecretStore source, ISecretStore target, IProgress<int> scopesDone, CancellationToken cancellationToken)
    {
        var result = new MigrationResult();
        var sourceScopes = new HashSet<SecretScope>();
        var group = new List<(SecretScope Scope, List<StoredSecret> Secrets)>();
        int groupSecrets = 0;
        Task writing = Task.CompletedTask;
        try
        {
            await foreach (SecretScope scope in source.ListScopesAsync(cancellationToken).ConfigureAwait(false))
            {
                sourceScopes.Add(scope);
                List<StoredSecret> secrets = await source.ListAsync(scope, cancellationToken).ToListAsync(cancellationToken).ConfigureAwait(false);

                // Live secrets only, as ImportAsync takes them: what stays behind is counted, so the operator is told.
                result.DeletedLeft += await source.ListDeletedAsync(scope, cancellationToken).CountAsync(cancellationToken).ConfigureAwait(false);
                result.VersionsLeft += await source.ListHistoryAsync(scope, cancellationToken).CountAsync(cancellationToken).ConfigureAwait(false);
                group.Add((scope, secrets));
                groupSecrets += secrets.Count;
                if (groupSecrets >= BatchSize)
                {
                    await writing.ConfigureAwait(false);
                    writing = WriteAndCheckAsync(group, target, result, scopesDone, cancellationToken);
                    group = [];
                    groupSecrets = 0;
                }
            }
        }
        catch
        {
            // Nothing is written after the command has failed: the group being written lands or fails first.
            await Task.WhenAny(writing).ConfigureAwait(false);
            throw;
        }

        await writing.ConfigureAwait(false);
        await WriteAndCheckAsync(group, target, result, scopesDone, cancellationToken).ConfigureAwait(false);
        result.Problems.AddRange(await ScopeCheck.ScopesOnlyInTargetAsync(target, sourceScopes, cancellationToken).ConfigureAwait(false));
        result.Problems.Sort(StringComparer.Ordinal);
        return result;
    }

    private static async Task WriteAndCheckAsync(List<(SecretScope Scope, List<StoredSecret> Secrets)> group, ISecretStore target, MigrationResult result, IProgress<int> scopesDone, CancellationToken cancellationToken)
    {
        foreach (StoredSecret[] batch in group.SelectMany(g => g.Secrets).Chunk(BatchSize))
        {
            result.Written += await target.ImportAsync(batch, cancellationToken).ConfigureAwait(false);
        }

        foreach ((SecretScope scope, List<StoredSecret> secrets) in group)
        {
            result.Problems.AddRange(await ScopeCheck.CompareAsync(scope, secrets, target, cancellationToken).ConfigureAwait(false));
            result.Read += secrets.Count;
            scopesDone.Report(++result.Scopes);
        }
    }
}
