using System.Data.Common;
using Microsoft.Data.SqlClient;
using RootCx.Vault.Sql;

namespace RootCx.Vault.SqlServer;

/// <summary>The store's T-SQL, for one quoted schema. Every write moves the change version in its own transaction.</summary>
internal sealed partial class SqlServerCommands(string schema) : ISqlStoreCommands
{
    private const int ForeignKeyViolation = 547;
    private const string Columns = "[Name], [Envelope], [KeyId], [CreatedAt], [UpdatedAt], [Version]";
    private const string Inserted = "inserted.[Name], inserted.[Envelope], inserted.[KeyId], inserted.[CreatedAt], inserted.[UpdatedAt], inserted.[Version]";
    private const string WrittenTable = "DECLARE @written TABLE ([Name] varchar(128), [Envelope] varbinary(max), [KeyId] int, [CreatedAt] datetimeoffset(7), [UpdatedAt] datetimeoffset(7), [Version] bigint);";

    public string Get { get; } = $"SELECT {Columns} FROM {schema}.[Secrets] WHERE [Namespace] = @Namespace AND [Name] = @Name AND [Envelope] IS NOT NULL;";

    public string List { get; } = $"SELECT {Columns} FROM {schema}.[Secrets] WHERE [Namespace] = @Namespace AND [Envelope] IS NOT NULL;";

    public string Scopes { get; } = $"SELECT DISTINCT [Namespace] FROM {schema}.[Secrets] WHERE [Envelope] IS NOT NULL;";

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

    // The foreign key backs the NOT EXISTS up against a secret written under the key meanwhile.
    public string RemoveKeyId { get; } =
        $"DELETE FROM {schema}.[KeyIds] WHERE [KeyId] = @KeyId AND NOT EXISTS (SELECT 1 FROM {schema}.[Secrets] WHERE [KeyId] = @KeyId);";

    public string ChangeVersion { get; } = $"SELECT [Version] FROM {schema}.[ChangeVersion] WHERE [Id] = 1;";

    public string ChangedScopes { get; } = $"SELECT [Namespace] FROM {schema}.[ScopeVersions] WHERE [Version] > @Since AND [Version] <= @Until;";

    // UPDLOCK + SERIALIZABLE holds the key range, so two writers of one new name cannot both insert. The update also
    // finds a deleted secret's row, whose version therefore continues; a re-created secret starts its times anew.
    public string Set { get; } = Upsert(schema, ifAbsent: false);

    // The update finds only a deleted secret's row; the insert only when there is no row at all. The range lock the
    // update takes holds the name until commit, so the check and the write cannot be split by another writer.
    public string SetIfAbsent { get; } = Upsert(schema, ifAbsent: true);

    // A check-and-set of a new value: guarded as ReplaceEnvelope is, it also takes the new spelling and time.
    public string SetIfVersion { get; } = $"""
        SET XACT_ABORT ON;
        BEGIN TRANSACTION;
        {WrittenTable}
        UPDATE {schema}.[Secrets]
            SET [Name] = @Name, [Envelope] = @Envelope, [KeyId] = @KeyId, [UpdatedAt] = @Timestamp, [Version] = [Version] + 1
            OUTPUT {Inserted} INTO @written
            WHERE [Namespace] = @Namespace AND [Name] = @Name AND [Version] = @ExpectedVersion AND [Envelope] IS NOT NULL
                AND EXISTS (SELECT 1 FROM {schema}.[KeyIds] WHERE [KeyId] = @KeyId);
        IF @@ROWCOUNT > 0
        BEGIN
            {MoveVersions(schema)}
        END;
        COMMIT TRANSACTION;
        SELECT {Columns} FROM @written;
        """;

    public string ReplaceEnvelope { get; } = $"""
        SET XACT_ABORT ON;
        BEGIN TRANSACTION;
        {WrittenTable}
        UPDATE {schema}.[Secrets]
            SET [Envelope] = @Envelope, [KeyId] = @KeyId, [Version] = [Version] + 1
            OUTPUT {Inserted} INTO @written
            WHERE [Namespace] = @Namespace AND [Name] = @Name AND [Version] = @ExpectedVersion AND [Envelope] IS NOT NULL
                AND EXISTS (SELECT 1 FROM {schema}.[KeyIds] WHERE [KeyId] = @KeyId);
        IF @@ROWCOUNT > 0
        BEGIN
            {MoveVersions(schema)}
        END;
        COMMIT TRANSACTION;
        SELECT {Columns} FROM @written;
        """;

    // The row stays, without its envelope, so the name's version never repeats.
    public string Delete { get; } = SoftDelete(schema, "");

    public string DeleteIfVersion { get; } = SoftDelete(schema, " AND [Version] = @ExpectedVersion");

    public bool IsForeignKeyViolation(DbException exception) =>
        exception is SqlException { Number: ForeignKeyViolation };

    // UPDLOCK + SERIALIZABLE holds the key range, so two writers of one new name cannot both insert. The update also
    // finds a deleted secret's row, whose version therefore continues; a re-created secret starts its times anew.
    private static string Upsert(string schema, bool ifAbsent) => $"""
        SET XACT_ABORT ON;
        BEGIN TRANSACTION;
        {WrittenTable}
        IF EXISTS (SELECT 1 FROM {schema}.[KeyIds] WHERE [KeyId] = @KeyId)
        BEGIN
            UPDATE {schema}.[Secrets] WITH (UPDLOCK, SERIALIZABLE)
                SET [Name] = @Name, [Envelope] = @Envelope, [KeyId] = @KeyId, [UpdatedAt] = @Timestamp, [Version] = [Version] + 1,
                    [CreatedAt] = CASE WHEN [Envelope] IS NULL THEN @Timestamp ELSE [CreatedAt] END
                OUTPUT {Inserted} INTO @written
                WHERE [Namespace] = @Namespace AND [Name] = @Name{(ifAbsent ? " AND [Envelope] IS NULL" : "")};
            IF @@ROWCOUNT = 0{(ifAbsent ? $" AND NOT EXISTS (SELECT 1 FROM {schema}.[Secrets] WHERE [Namespace] = @Namespace AND [Name] = @Name)" : "")}
                INSERT INTO {schema}.[Secrets] ([Namespace], [Name], [Envelope], [KeyId], [CreatedAt], [UpdatedAt], [Version])
                    OUTPUT {Inserted} INTO @written
                    VALUES (@Namespace, @Name, @Envelope, @KeyId, @Timestamp, @Timestamp, 1);
            IF EXISTS (SELECT 1 FROM @written)
            BEGIN
                {MoveVersions(schema)}
            END;
        END;
        COMMIT TRANSACTION;
        SELECT {Columns} FROM @written;
        """;

    private static string SoftDelete(string schema, string condition) => $"""
        SET XACT_ABORT ON;
        BEGIN TRANSACTION;
        UPDATE {schema}.[Secrets] SET [Envelope] = NULL, [KeyId] = NULL
            WHERE [Namespace] = @Namespace AND [Name] = @Name AND [Envelope] IS NOT NULL{condition};
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
}
