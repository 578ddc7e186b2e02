using System.Data.Common;

namespace RootCx.Vault.Sql;

/// <summary>
/// The statements of a SQL store, in its own dialect, for <see cref="SqlSecretStoreCore"/>. They take the parameters
/// @Namespace, @Name (matched ignoring case), @Envelope, @KeyId, @Timestamp, @ExpectedVersion and @MaxVersions, and
/// return secrets as the columns Name, Envelope, KeyId, CreatedAt, UpdatedAt and Version. Every write that changes
/// what a reader sees moves the change version with it, and sets its scope's version to the new change version.
/// A secret's row is live, deleted (envelope and key id kept, with the time of the delete) or a tombstone (purged: no
/// envelope, key id or deletion time, only the version, so that it continues when the name is set again); reads and
/// listings see live rows only. Older versions sit in a history table of their own.
/// </summary>
internal interface ISqlStoreCommands : ISqlImportCommands, ISqlLifecycleCommands
{
    string Get { get; }

    string List { get; }

    /// <summary>
    /// Insert or update, only when @KeyId is recorded, moving the live row it replaces into the history and keeping
    /// at most @MaxVersions versions of the name; over a deleted row it makes a new secret, deleting the deleted one's
    /// envelope and all its history in the same write (only the version continues); returns the secret as stored, or no row when nothing was
    /// written: the key id is not recorded, or the row changed between the statement's read of it and its write (the
    /// caller then tries again).
    /// </summary>
    string Set { get; }

    /// <summary>As <see cref="Set"/>, only when no live secret has the name (a deleted or purged one's row is reused).</summary>
    string SetIfAbsent { get; }

    /// <summary>As <see cref="Set"/>, only when the live secret is at @ExpectedVersion (so it never inserts).</summary>
    string SetIfVersion { get; }

    /// <summary>
    /// Replaces the envelope of a live or deleted secret only at @ExpectedVersion and when @KeyId is recorded, keeping
    /// no history; returns the secret as stored, or no row.
    /// </summary>
    string ReplaceEnvelope { get; }

    /// <summary>Marks the live secret deleted at @Timestamp; returns the number of secrets deleted.</summary>
    string Delete { get; }

    /// <summary>As <see cref="Delete"/>, only when the live secret is at @ExpectedVersion.</summary>
    string DeleteIfVersion { get; }

    /// <summary>Returns the namespaces that hold a live or deleted secret.</summary>
    string Scopes { get; }

    /// <summary>Returns the recorded key ids.</summary>
    string KeyIds { get; }

    /// <summary>Returns the number of recorded key ids equal to @KeyId.</summary>
    string IsKeyRecorded { get; }

    /// <summary>Holds, until the transaction ends, a lock that serializes changes to the key record.</summary>
    string LockKeyRecord { get; }

    /// <summary>Records @KeyId; recording it twice changes nothing.</summary>
    string AddKeyId { get; }

    /// <summary>Forgets @KeyId when no envelope (live, deleted or older version) is sealed under it; returns the number of ids removed.</summary>
    string RemoveKeyId { get; }

    string ChangeVersion { get; }

    /// <summary>Returns the namespaces written after change version @Since and up to @Until (an index on the version).</summary>
    string ChangedScopes { get; }

    /// <summary>Whether the error is a foreign key from a secret or an older version to its key id, raised by a concurrent write.</summary>
    bool IsForeignKeyViolation(DbException exception);

    /// <summary>
    /// The install script's refusal of a schema newer than this build knows ("schema version N is newer than this
    /// build knows (4); upgrade RootCx.Vault"), or <see langword="null"/> when the error is another.
    /// </summary>
    string? NewerSchemaRefusal(DbException exception);
}
