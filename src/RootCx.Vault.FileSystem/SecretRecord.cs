using RootCx.Vault.Storage;

namespace RootCx.Vault.FileSystem;

/// <summary>
/// What a <c>.secret</c> file holds (<see cref="SecretFile"/>): a secret, the oldest version its history may hold,
/// and, for a deleted secret's record, when it was deleted.
/// </summary>
/// <param name="Secret">The secret as stored.</param>
/// <param name="HistoryFrom">
/// The oldest version of the name's history this record admits: the history entries that count are those from it up
/// to the secret's version, excluded. A write moves the range with the record in one rename, so an entry left behind or
/// written ahead by a crash falls outside it and is never read.
/// </param>
/// <param name="DeletedAt">When the secret was deleted, or <see langword="null"/> for a live secret's record.</param>
internal sealed record SecretRecord(StoredSecret Secret, long HistoryFrom, DateTimeOffset? DeletedAt)
{
    /// <summary>A live secret's record without history, as a new secret, an import and every earlier layout have.</summary>
    public static SecretRecord WithoutHistory(StoredSecret secret) => new(secret, secret.Version, null);

    /// <summary>Returns whether the history entry of <paramref name="version"/> belongs to this record's history.</summary>
    public bool HoldsInHistory(long version) => version >= HistoryFrom && version < Secret.Version;
}
