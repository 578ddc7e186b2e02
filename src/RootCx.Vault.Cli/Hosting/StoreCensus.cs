using RootCx.Vault.Storage;

namespace RootCx.Vault.Cli.Hosting;

/// <summary>Counts what a store holds, from metadata only, so progress can show a total.</summary>
internal static class StoreCensus
{
    public static async Task<int> CountSecretsAsync(ISecretStore store, CancellationToken cancellationToken)
    {
        int count = 0;
        await foreach (SecretScope scope in store.ListScopesAsync(cancellationToken).ConfigureAwait(false))
        {
            await foreach (StoredSecret _ in store.ListAsync(scope, cancellationToken).ConfigureAwait(false))
            {
                count++;
            }
        }

        return count;
    }
}
