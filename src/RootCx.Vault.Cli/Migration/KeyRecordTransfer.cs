using RootCx.Vault.Storage;

namespace RootCx.Vault.Cli.Migration;

/// <summary>
/// Brings the source's key record to the target before any envelope: a store refuses envelopes under ids it does not
/// record, and migration holds no master key, so it can only carry the record over, never admit a key of its own.
/// </summary>
internal static class KeyRecordTransfer
{
    /// <summary>
    /// Sets up an empty target with every key id of the source (the lowest first, which then admits the others), or
    /// accepts a target whose record holds them all already.
    /// </summary>
    /// <returns>The target's key record.</returns>
    /// <exception cref="OperatorException">The target was set up with other master keys; nothing was written to it.</exception>
    public static async Task<IReadOnlySet<MasterKeyId>> TransferAsync(IReadOnlySet<MasterKeyId> sourceIds, ISecretStore target, string targetDescription, CancellationToken cancellationToken)
    {
        IReadOnlySet<MasterKeyId> targetIds = await target.GetKeyIdsAsync(cancellationToken).ConfigureAwait(false);
        if (targetIds.Count == 0)
        {
            MasterKeyId first = sourceIds.MinBy(id => id.Value);

            // Of migrations setting the target up at once, one wins; the others go on only if it recorded the same keys.
            targetIds = await target.AddKeyIdAsync(first, admittedBy: null, cancellationToken).ConfigureAwait(false);
            foreach (MasterKeyId other in sourceIds.Where(id => id != first && targetIds.Contains(first)))
            {
                targetIds = await target.AddKeyIdAsync(other, admittedBy: first, cancellationToken).ConfigureAwait(false);
            }
        }

        MasterKeyId[] missing = [.. sourceIds.Where(id => !targetIds.Contains(id)).OrderBy(id => id.Value)];
        if (missing.Length > 0)
        {
            throw new OperatorException(
                $"The target {targetDescription} was set up with other master keys (its key record: {Describe(targetIds)}; the source's: "
                + $"{Describe(sourceIds)}; missing: {Describe(missing)}). Nothing was copied.");
        }

        return targetIds;
    }

    private static string Describe(IEnumerable<MasterKeyId> ids) => string.Join(", ", ids.OrderBy(id => id.Value));
}
