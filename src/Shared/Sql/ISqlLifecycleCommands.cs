namespace RootCx.Vault.Sql;

/// <summary>
/// A SQL store's statements for older versions and deleted secrets, in its own dialect. Rows come back as the columns
/// of <see cref="ISqlStoreCommands"/>, deleted secrets with DeletedAt too.
/// </summary>
internal interface ISqlLifecycleCommands
{
    /// <summary>Returns the older versions of @Namespace/@Name, newest first.</summary>
    string History { get; }

    /// <summary>Returns every older version kept in @Namespace.</summary>
    string ListHistory { get; }

    /// <summary>Replaces the envelope of older version @Version of @Namespace/@Name when @KeyId is recorded, moving no change version; returns the number of rows replaced.</summary>
    string ReplaceHistoryEnvelope { get; }

    /// <summary>Returns the deleted secrets of @Namespace, with DeletedAt.</summary>
    string ListDeleted { get; }

    /// <summary>Makes the deleted secret live again, as it was; returns it, or no row when no deleted secret has the name.</summary>
    string Recover { get; }

    /// <summary>
    /// Makes the deleted secret a tombstone and deletes its older versions; returns it as it was, with DeletedAt, or no
    /// row when no deleted secret has the name.
    /// </summary>
    string Purge { get; }

    /// <summary>
    /// Purges, as <see cref="Purge"/> does, at most @Limit deleted secrets deleted before @DeletedBefore, of any scope,
    /// moving the change version once; returns them as they were, with Namespace and DeletedAt.
    /// </summary>
    string PurgeDeleted { get; }
}
