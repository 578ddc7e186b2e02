using RootCx.Vault.Storage;

namespace RootCx.Vault.Sql;

/// <summary>
/// A SQL store's bulk copy-in (<see cref="ISecretStore.ImportAsync"/>), in its own dialect: one statement, one
/// transaction, for a whole batch.
/// </summary>
internal interface ISqlImportCommands
{
    /// <summary>
    /// Writes the batch's secrets whose names hold no live secret and no deleted one at or above their version, only when
    /// every key id of the batch is recorded, and moves the change version and the written scopes' versions once. Returns
    /// one row: Written, the number of secrets written, and Unrecorded, an unrecorded key id of the batch or NULL.
    /// </summary>
    string Import { get; }

    /// <summary>The parameters of <see cref="Import"/> for a batch (not empty, names distinct).</summary>
    object ImportParameters(IReadOnlyList<StoredSecret> secrets);
}
