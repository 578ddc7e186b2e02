using System.Runtime.CompilerServices;
using RootCx.Vault.Storage;

namespace RootCx.Vault.Cli.Hosting;

/// <summary>Walks what a store holds, metadata and envelopes as stored, never opening one: for totals and status.</summary>
internal static class StoreCensus
{
    /// <summary>Every envelope the store holds, scope after scope: live secrets, then deleted ones, then older versions.</summary>
    public static async IAsyncEnumerable<(StoredSecret Envelope, EnvelopeKind Kind)> EnvelopesAsync(ISecretStore store, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (SecretScope scope in store.ListScopesAsync(cancellationToken).ConfigureAwait(false))
        {
            await foreach (StoredSecret secret in store.ListAsync(scope, cancellationToken).ConfigureAwait(false))
            {
                yield return (secret, EnvelopeKind.Live);
            }

            await foreach (DeletedSecret deleted in store.ListDeletedAsync(scope, cancellationToken).ConfigureAwait(false))
            {
                yield return (deleted.Secret, EnvelopeKind.Deleted);
            }

            await foreach (StoredSecret older in store.ListHistoryAsync(scope, cancellationToken).ConfigureAwait(false))
            {
                yield return (older, EnvelopeKind.OlderVersion);
            }
        }
    }

    /// <summary>What rotation examines: every envelope, live, deleted and older.</summary>
    public static async Task<int> CountEnvelopesAsync(ISecretStore store, CancellationToken cancellationToken)
    {
        int count = 0;
        await foreach (var _ in EnvelopesAsync(store, cancellationToken).ConfigureAwait(false))
        {
            count++;
        }

        return count;
    }
}

/// <summary>Where an envelope sits in a secret's lifecycle.</summary>
internal enum EnvelopeKind
{
    Live,
    Deleted,
    OlderVersion,
}
