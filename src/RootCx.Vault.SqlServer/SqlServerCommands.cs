using System.Data.Common;
using Microsoft.Data.SqlClient;
using RootCx.Vault.Sql;

namespace RootCx.Vault.SqlServer;

/// <summary>
/// The store's T-SQL, for one quoted schema. Every write runs in one transaction that also moves the change version;
/// a set or purge first locks the name's row (or its key range), so its later statements see every older version
/// committed before it and none can be added meanwhile.
/// </summary>
internal sealed partial class SqlServerCommands(string schema) : ISqlStoreCommands
{
    private const int ForeignKeyViolation = 547;
    internal const int NewerSchema = 51001;
    private const string Columns = "[Name], [Envelope], [KeyId], [CreatedAt], [UpdatedAt], [Version]";
    private const string Inserted = "inserted.[Name], inserted.[Envelope], inserted.[KeyId], inserted.[CreatedAt], inserted.[UpdatedAt], inserted.[Version]";
    private const string WrittenTable = "DECLARE @written TABLE ([Name] varchar(128), [Envelope] varbinary(max), [KeyId] int, [CreatedAt] datetimeoffset(7), [UpdatedAt] datetimeoffset(7), [Version] bigint);";
    private const string ByName = "[Namespace] = @Namespace AND [Name] = @Name";

    // A live row has a key id (and so an envelope) and no deletion time, as the filtered index [IX_Secrets_Live] says.
    private const string Live = "[KeyId] IS NOT NULL AND [DeletedAt] IS NULL";

    // Only a deleted secret has a deletion time: a tombstone has none.
    private const string Deleted = "[DeletedAt] IS NOT NULL";

    public string Get { get; } = $"SELECT {Columns} FROM {schema}.[Secrets] WHERE {ByName} AND {Live};";

    public string List { get; } = $"SELECT {Columns} FROM {schema}.[Secrets] WHERE [Namespace] = @Namespace AND {Live};";

    public string Scopes { get; } = $"SELECT DISTINCT [Namespace] FROM {schema}.[Secrets] WHERE [KeyId] IS NOT NULL;";

    public string KeyIds { get; } = $"SELECT [KeyId] FROM {schema}.[KeyIds];";

    public string IsKeyRecorded { get; } = $"SELECT COUNT_BIG(*) FROM {schema}.[KeyIds] WHERE [KeyId] = @KeyId;";

    // sp_getapplock reports a timeout or a deadlock by its return code, not by an error.
    public string LockKeyRecord { get; } = $"""
        DECLARE @lock int;
        EXEC @lock = sp_getapplock @Resource = N'RootCx.Vault:{schema}:keys', @LockMode = N'Exclusive', @LockOwner = N'Transaction', @LockTimeout = 60000;
        IF @lock < 0
            THROW 51000, N'RootCx.Vault: could not take the key record lock.', 1;
        """;

    public string AddKeyId { get; } =
        $"IF NOT EXISTS (SELECT 1 FROM {schema}.[KeyIds] WHERE [KeyId] = @KeyId) INSERT INTO {schema}.[KeyIds] ([KeyId]) VALUES (@KeyId);";

    // The foreign keys back the NOT EXISTS up against an envelope written under the key meanwhile.
    public string RemoveKeyId { get; } = $"""
        DELETE FROM {schema}.[KeyIds] WHERE [KeyId] = @KeyId
            AND NOT EXISTS (SELECT 1 FROM {schema}.[Secrets] WHERE [KeyId] = @KeyId)
            AND NOT EXISTS (SELECT 1 FROM {schema}.[SecretHistory] WHERE [KeyId] = @KeyId);
        """;

    public string ChangeVersion { get; } = $"SELECT [Version] FROM {schema}.[ChangeVersion] WHERE [Id] = 1;";

    public string ChangedScopes { get; } = $"SELECT [Namespace] FROM {schema}.[ScopeVersions] WHERE [Version] > @Since AND [Version] <= @Until;";

    public string Set { get; } = Upsert(schema, onlyIf: "", insertIf: "@@ROWCOUNT = 0");

    // The update finds only a deleted or purged secret's row; the insert only when there is no row at all. The range
    // lock the update takes holds the name until commit, so the check and the write cannot be split by another writer.
    public string SetIfAbsent { get; } = Upsert(
        schema,
        onlyIf: $" AND ([KeyId] IS NULL OR [DeletedAt] IS NOT NULL)",
        insertIf: $"@@ROWCOUNT = 0 AND NOT EXISTS (SELECT 1 FROM {schema}.[Secrets] WHERE {ByName})");

    // A check-and-set of a new value: it updates only the live secret at the expected version, and never inserts.
    public string SetIfVersion { get; } = Upsert(schema, onlyIf: $" AND {Live} AND [Version] = @ExpectedVersion", insertIf: null);

    // A deleted secret is re-sealed too, and stays deleted; no older version is kept.
    public string ReplaceEnvelope { get; } = $"""
        SET XACT_ABORT ON;
        BEGIN TRANSACTION;
        {WrittenTable}
        UPDATE {schema}.[Secrets]
            SET [Envelope] = @Envelope, [KeyId] = @KeyId, [Version] = [Version] + 1
            OUTPUT {Inserted} INTO @written
            WHERE {ByName} AND [Version] = @ExpectedVersion AND [KeyId] IS NOT NULL
                AND EXISTS (SELECT 1 FROM {schema}.[KeyIds] WHERE [KeyId] = @KeyId);
        IF @@ROWCOUNT > 0
        BEGIN
            {MoveVersions(schema)}
        END;
        COMMIT TRANSACTION;
        SELECT {Columns} FROM @written;
        """;

    // The row stays, envelope and all, so that it can be recovered and the name's version never repeats.
    public string Delete { get; } = SoftDelete(schema, "");

    public string DeleteIfVersion { get; } = SoftDelete(schema, " AND [Version] = @ExpectedVersion");

    public bool IsForeignKeyViolation(DbException exception) =>
        exception is SqlException { Number: ForeignKeyViolation };

    // Install.sql throws it with this error number of its own.
    public string? NewerSchemaRefusal(DbException exception) =>
        exception is SqlException { Number: NewerSchema } refused ? refused.Message : null;

    // UPDLOCK + SERIALIZABLE holds the name's key (or, for a new name, its key range) until commit, so two writers of
    // one new name cannot both insert, and every later statement sees all older versions the name has: a set or a
    // purge of it waits. The update also finds a deleted or purged secret's row, whose version therefore continues;
    // a secret set over one is a new secret and starts its times anew. OUTPUT's deleted columns are the row replaced:
    // a live one becomes an older version, then the oldest go, so that the name keeps at most @MaxVersions versions, the
    // new one included. Over a deleted row the set destroys the deleted secret with all its history, as a purge would
    // (its envelope is overwritten, its older versions deleted), so a deleted value never outlives its retention.
    private static string Upsert(string schema, string onlyIf, string? insertIf) => $"""
        SET XACT_ABORT ON;
        BEGIN TRANSACTION;
        DECLARE @written TABLE ([Name] varchar(128), [Envelope] varbinary(max), [KeyId] int, [CreatedAt] datetimeoffset(7), [UpdatedAt] datetimeoffset(7), [Version] bigint,
            [OldName] varchar(128), [OldEnvelope] varbinary(max), [OldKeyId] int, [OldCreatedAt] datetimeoffset(7), [OldUpdatedAt] datetimeoffset(7), [OldVersion] bigint, [OldDeletedAt] datetimeoffset(7));
        IF EXISTS (SELECT 1 FROM {schema}.[KeyIds] WHERE [KeyId] = @KeyId)
        BEGIN
            UPDATE {schema}.[Secrets] WITH (UPDLOCK, SERIALIZABLE)
                SET [Name] = @Name, [Envelope] = @Envelope, [KeyId] = @KeyId, [UpdatedAt] = @Timestamp, [Version] = [Version] + 1, [DeletedAt] = NULL,
                    [CreatedAt] = CASE WHEN [KeyId] IS NULL OR [DeletedAt] IS NOT NULL THEN @Timestamp ELSE [CreatedAt] END
                OUTPUT {Inserted}, deleted.[Name], deleted.[Envelope], deleted.[KeyId], deleted.[CreatedAt], deleted.[UpdatedAt], deleted.[Version], deleted.[DeletedAt] INTO @written
                WHERE {ByName}{onlyIf};
            {(insertIf is null ? "" : InsertNew(schema, insertIf))}
            IF EXISTS (SELECT 1 FROM @written)
            BEGIN
                INSERT INTO {schema}.[SecretHistory] ([Namespace], [Name], [Envelope], [KeyId], [CreatedAt], [UpdatedAt], [Version])
                    SELECT @Namespace, [OldName], [OldEnvelope], [OldKeyId], [OldCreatedAt], [OldUpdatedAt], [OldVersion] FROM @written
                    WHERE [OldKeyId] IS NOT NULL AND [OldDeletedAt] IS NULL AND @MaxVersions > 1;
                IF EXISTS (SELECT 1 FROM @written WHERE [OldDeletedAt] IS NOT NULL)
                    DELETE FROM {schema}.[SecretHistory] WHERE {ByName};
                ELSE
                    DELETE FROM {schema}.[SecretHistory]
                        WHERE {ByName} AND [Version] NOT IN (
                            SELECT TOP (@MaxVersions - 1) [Version] FROM {schema}.[SecretHistory] WHERE {ByName} ORDER BY [Version] DESC);
                {MoveVersions(schema)}
            END;
        END;
        COMMIT TRANSACTION;
        SELECT {Columns} FROM @written;
        """;

    private static string InsertNew(string schema, string condition) => $"""
        IF {condition}
                INSERT INTO {schema}.[Secrets] ([Namespace], [Name], [Envelope], [KeyId], [CreatedAt], [UpdatedAt], [Version])
                    OUTPUT {Inserted} INTO @written ([Name], [Envelope], [KeyId], [CreatedAt], [UpdatedAt], [Version])
                    VALUES (@Namespace, @Name, @Envelope, @KeyId, @Timestamp, @Timestamp, 1);
        """;

    private static string SoftDelete(string schema, string condition) => $"""
        SET XACT_ABORT ON;
        BEGIN TRANSACTION;
        UPDATE {schema}.[Secrets] SET [DeletedAt] = @Timestamp
            WHERE {ByName} AND {Live}{condition};
        DECLARE @deleted int = @@ROWCOUNT;
        IF @deleted > 0
        BEGIN
            {MoveVersions(schema)}
        END;
        COMMIT TRANSACTION;
        SELECT @deleted;
        """;

    // The change version's row lock, held to commit, orders the writes; the scope's version takes the new value.
    private static string MoveVersions(string schema) => $"""
        DECLARE @version bigint;
            UPDATE {schema}.[ChangeVersion] SET @version = [Version] = [Version] + 1 WHERE [Id] = 1;
            UPDATE {schema}.[ScopeVersions] SET [Version] = @version WHERE [Namespace] = @Namespace;
            IF @@ROWCOUNT = 0
                INSERT INTO {schema}.[ScopeVersions] ([Namespace], [Version]) VALUES (@Namespace, @version);
        """;

    // As MoveVersions, once for a write of several scopes: the namespaces are the column [Namespace] of a table variable.
    private static string MoveVersionsOf(string schema, string written) => $"""
        DECLARE @version bigint;
                UPDATE {schema}.[ChangeVersion] SET @version = [Version] = [Version] + 1 WHERE [Id] = 1;
                UPDATE v SET [Version] = @version FROM {schema}.[ScopeVersions] v WHERE v.[Namespace] IN (SELECT [Namespace] FROM {written});
                INSERT INTO {schema}.[ScopeVersions] ([Namespace], [Version])
                    SELECT DISTINCT w.[Namespace], @version FROM {written} w
                    WHERE NOT EXISTS (SELECT 1 FROM {schema}.[ScopeVersions] v WHERE v.[Namespace] = w.[Namespace]);
        """;
}
