using RootCx.Vault.Storage;

namespace RootCx.Vault.Cli.Migration;

/// <summary>
/// The check after a copy, scope by scope: every source secret is in the target with the same envelope bytes, key id
/// and version, and the scope holds as many secrets on both sides. Names and key ids only ever reach the report.
/// </summary>
internal static class ScopeCheck
{
    /// <summary>Lists the scope back from the target and compares it with the source's secrets as read.</summary>
    /// <returns>One line per problem.</returns>
    public static async Task<List<string>> CompareAsync(SecretScope scope, IReadOnlyCollection<StoredSecret> sourceSecrets, ISecretStore target, CancellationToken cancellationToken)
    {
        var problems = new List<string>();
        var expected = sourceSecrets.ToDictionary(s => s.Name);
        int targetCount = 0;
        await foreach (StoredSecret copy in target.ListAsync(scope, cancellationToken).ConfigureAwait(false))
        {
            targetCount++;
            if (expected.Remove(copy.Name, out StoredSecret? original) && !IsSameCopy(original, copy))
            {
                problems.Add($"{scope}/{original.Name}: conflict: the target holds another secret under this name (version {copy.Version}, key {copy.KeyId}; "
                    + $"the source's is version {original.Version}, key {original.KeyId}); it was not overwritten");
            }
        }

        // A deleted secret in the target at or above the version, or a secret the source gained during the copy.
        problems.AddRange(expected.Values.Select(original => $"{scope}/{original.Name}: missing from the target"));
        if (sourceSecrets.Count != targetCount)
        {
            problems.Add($"{scope}: {sourceSecrets.Count} secret(s) in the source, {targetCount} in the target");
        }

        return problems;
    }

    /// <summary>Reports the scopes that hold secrets in the target only: their counts differ from the source's zero.</summary>
    public static async Task<List<string>> ScopesOnlyInTargetAsync(ISecretStore target, IReadOnlySet<SecretScope> sourceScopes, CancellationToken cancellationToken)
    {
        var problems = new List<string>();
        await foreach (SecretScope scope in target.ListScopesAsync(cancellationToken).ConfigureAwait(false))
        {
            if (!sourceScopes.Contains(scope))
            {
                int count = await target.ListAsync(scope, cancellationToken).CountAsync(cancellationToken).ConfigureAwait(false);
                problems.Add($"{scope}: 0 secret(s) in the source, {count} in the target");
            }
        }

        return problems;
    }

    private static bool IsSameCopy(StoredSecret original, StoredSecret copy) =>
        copy.Version == original.Version && copy.KeyId == original.KeyId && copy.Envelope.Span.SequenceEqual(original.Envelope.Span);
}
