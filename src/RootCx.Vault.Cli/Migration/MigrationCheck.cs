using RootCx.Vault.Storage;

namespace RootCx.Vault.Cli.Migration;

/// <summary>
/// The check after a copy: every source secret is in the target with the same envelope bytes, key id and version, and
/// every scope holds as many secrets on both sides. Reads both stores again, scope by scope, holding one scope of the
/// source at a time; names and key ids only ever reach the report.
/// </summary>
internal static class MigrationCheck
{
    /// <returns>One line per problem, by scope and name, sorted.</returns>
    public static async Task<List<string>> CompareAsync(ISecretStore source, ISecretStore target, IProgress<int> progress, CancellationToken cancellationToken)
    {
        var problems = new List<string>();
        var sourceScopes = new HashSet<SecretScope>();
        int compared = 0;
        await foreach (SecretScope scope in source.ListScopesAsync(cancellationToken).ConfigureAwait(false))
        {
            sourceScopes.Add(scope);
            var expected = new Dictionary<SecretName, StoredSecret>();
            await foreach (StoredSecret secret in source.ListAsync(scope, cancellationToken).ConfigureAwait(false))
            {
                expected[secret.Name] = secret;
            }

            int sourceCount = expected.Count, targetCount = 0;
            await foreach (StoredSecret copy in target.ListAsync(scope, cancellationToken).ConfigureAwait(false))
            {
                targetCount++;
                if (expected.Remove(copy.Name, out StoredSecret? original))
                {
                    if (!IsSameCopy(original, copy))
                    {
                        problems.Add($"{scope}/{original.Name}: conflict: the target holds another secret under this name (version {copy.Version}, key {copy.KeyId}; "
                            + $"the source's is version {original.Version}, key {original.KeyId}); it was not overwritten");
                    }

                    progress.Report(++compared);
                }
            }

            foreach (StoredSecret original in expected.Values)
            {
                problems.Add($"{scope}/{original.Name}: missing from the target");
                progress.Report(++compared);
            }

            if (sourceCount != targetCount)
            {
                problems.Add($"{scope}: {sourceCount} secret(s) in the source, {targetCount} in the target");
            }
        }

        await foreach (SecretScope scope in target.ListScopesAsync(cancellationToken).ConfigureAwait(false))
        {
            if (!sourceScopes.Contains(scope))
            {
                int count = await target.ListAsync(scope, cancellationToken).CountAsync(cancellationToken).ConfigureAwait(false);
                problems.Add($"{scope}: 0 secret(s) in the source, {count} in the target");
            }
        }

        problems.Sort(StringComparer.Ordinal);
        return problems;
    }

    private static bool IsSameCopy(StoredSecret original, StoredSecret copy) =>
        copy.Version == original.Version && copy.KeyId == original.KeyId && copy.Envelope.Span.SequenceEqual(original.Envelope.Span);
}
