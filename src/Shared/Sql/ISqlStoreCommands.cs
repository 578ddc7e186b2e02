using System.Data.Common;

namespace RootCx.Vault.Sql;

/// <summary>
/// The statements of a SQL store, in its own dialect, for <see cref="SqlSecretStoreCore"/>. They take the parameters
/// @Namespace, @Name (matched ignoring case), @Envelope, @KeyId, @Timestamp and @ExpectedVersion, and return secrets
/// as the columns Name, Envelope, CreatedAt, UpdatedAt and Version. Every write moves the change version with it, and
/// sets its scope's version to the new change version.
/// A deleted secret stays as a row without envelope or key id, so that its version continues when it is set again;
/// reads and listings skip such rows.
/// </summary>
internal interface ISqlStoreCommands : ISqlImportCommands
{
    string Get { get; }

    string List { get; }

    /// <summary>Insert or update, only when @KeyId is recorded; returns the secret as stored, or no row.</summary>
    string Set { get; }

    /// <summary>As <see cref="Set"/>, only when no live secret has the name (a deleted one's row is reused).</summary>
    string SetIfAbsent { get; }

    /// <summary>As <see cref="Set"/>, only when the live secret is at @ExpectedVersion (so it never inserts).</summary>
    string SetIfVersion { get; }

    /// <summary>Replaces the envelope only at @ExpectedVersion and when @KeyId is recorded; returns the secret as stored, or no row.</summary>
    string ReplaceEnvelope { get; }

    /// <summary>Returns the number of secrets deleted.</summary>
    string Delete { get; }

    /// <summary>As <see cref="Delete"/>, only when the live secret is at @ExpectedVersion.</summary>
    string DeleteIfVersion { get; }

    string Scopes { get; }

    /// <summary>Returns the recorded key ids.</summary>
    string KeyIds { get; }

    /// <summary>Returns the number of recorded key ids equal to @KeyId.</summary>
    string IsKeyRecorded { get; }

    /// <summary>Holds, until the transaction ends, a lock that serializes changes to the key record.</summary>
    string LockKeyRecord { get; }

    /// <summary>Records @KeyId; recording it twice changes nothing.</summary>
    string AddKeyId { get; }

    /// <summary>Forgets @KeyId when no secret is sealed under it; returns the number of ids removed.</summary>
    string RemoveKeyId { get; }

    string ChangeVersion { get; }

    /// <summary>Returns the namespaces written after change version @Since and up to @Until (an index on the version).</summary>
    string ChangedScopes { get; }

    /// <summary>Whether the error is the foreign key from a secret to its key id, raised by a concurrent write.</summary>
    bool IsForeignKeyViolation(DbException exception);
}
