namespace RootCx.Vault.Sql;

/// <summary>
/// The statements of a SQL store, in its own dialect, for <see cref="SqlSecretStoreCore"/>. They take the parameters
/// @Namespace, @Name (matched ignoring case), @Envelope, @KeyId, @Timestamp and @ExpectedVersion, and return secrets
/// as the columns Name, Envelope, CreatedAt, UpdatedAt and Version. Every write moves the change version with it.
/// </summary>
internal interface ISqlStoreCommands
{
    string Get { get; }

    string List { get; }

    /// <summary>Insert or update; returns the secret as stored.</summary>
    string Set { get; }

    /// <summary>Replaces the envelope only at @ExpectedVersion; returns the secret as stored, or no row.</summary>
    string ReplaceEnvelope { get; }

    /// <summary>Returns the number of rows deleted.</summary>
    string Delete { get; }

    string Scopes { get; }

    string KeyIds { get; }

    string ChangeVersion { get; }
}
