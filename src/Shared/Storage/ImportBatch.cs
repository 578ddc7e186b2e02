namespace RootCx.Vault.Storage;

/// <summary>The argument check every store's <see cref="ISecretStore.ImportAsync"/> makes, compiled into each store.</summary>
internal static class ImportBatch
{
    /// <summary>Refuses a batch that holds one name twice in a scope: which of the two would land is not defined.</summary>
    /// <exception cref="ArgumentException">A name appears twice in one scope, ignoring case.</exception>
    public static void RequireDistinctNames(IReadOnlyList<StoredSecret> secrets)
    {
        ArgumentNullException.ThrowIfNull(secrets);
        var seen = new HashSet<(SecretScope, SecretName)>(secrets.Count);
        foreach (StoredSecret secret in secrets)
        {
            ArgumentNullException.ThrowIfNull(secret, nameof(secrets));
            if (!seen.Add((secret.Scope, secret.Name)))
            {
                throw new ArgumentException($"The batch holds {secret.Scope}/{secret.Name} more than once (names are unique ignoring case).", nameof(secrets));
            }
        }
    }
}
