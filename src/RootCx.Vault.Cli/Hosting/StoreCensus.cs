using System.Runtime.CompilerServices;
using RootCx.Vault.Storage;

namespace RootCx.Vault.Cli.Hosting;

/// <summary>Walks what a store holds, metadata and envelopes as stored, never opening one: for totals and status.</summary>
internal static class StoreCensus
{
    /// <summary>Every secret of every scope, scope after scope.</summary>
    public static async IAsyncEnumerable<StoredSecret> AllAsync(ISecretStore store, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (SecretScope scope in store.ListScopesAsync(cancellationToken).ConfigureAwait(false))
        {
            await foreach (StoredSecret secret in store.ListAsync(scope, cancellationToken).ConfigureAwait(false))
            {
                yield return secret;
            }
        }
    }

    public static async Task<int> CountSecretsAsync(ISecretStore store, CancellationToken cancellationToken)
    {
        int count = 0;
        await foreach (StoredSecret _ in AllAsync(store, cancellationToken).ConfigureAwait(false))
        {
            count++;
        }

        return count;
    }
}
