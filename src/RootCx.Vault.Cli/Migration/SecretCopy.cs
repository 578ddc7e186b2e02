using RootCx.Vault.Storage;

namespace RootCx.Vault.Cli.Migration;

/// <summary>
/// Copies every secret of a store into another as it is stored, envelope and metadata, never opening one: scope by
/// scope, in batches of <see cref="BatchSize"/> through <see cref="ISecretStore.ImportAsync"/>, so memory follows a
/// batch (and whatever the source holds to list one scope), not the store. What the target holds by name is left.
/// </summary>
internal static class SecretCopy
{
    /// <summary>Secrets per import: one statement or one group commit each, large enough that the round trip is shared.</summary>
    public const int BatchSize = 1000;

    /// <summary>Copies, reporting how many source secrets were handled so far.</summary>
    /// <returns>The number of source secrets read, and of those written to the target.</returns>
    public static async Task<(int Read, int Written)> CopyAsync(ISecretStore source, ISecretStore target, IProgress<int> progress, CancellationToken cancellationToken)
    {
        var batch = new List<StoredSecret>(BatchSize);
        int read = 0, written = 0;
        await foreach (SecretScope scope in source.ListScopesAsync(cancellationToken).ConfigureAwait(false))
        {
            await foreach (StoredSecret secret in source.ListAsync(scope, cancellationToken).ConfigureAwait(false))
            {
                batch.Add(secret);
                if (batch.Count == BatchSize)
                {
                    written += await FlushAsync().ConfigureAwait(false);
                }
            }

            written += await FlushAsync().ConfigureAwait(false);
        }

        return (read, written);

        async Task<int> FlushAsync()
        {
            if (batch.Count == 0)
            {
                return 0;
            }

            int landed = await target.ImportAsync(batch, cancellationToken).ConfigureAwait(false);
            read += batch.Count;
            batch.Clear();
            progress.Report(read);
            return landed;
        }
    }
}
