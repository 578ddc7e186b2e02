using RootCx.Vault.Sql;

namespace RootCx.Vault.SqlServer;

/// <summary>The store's T-SQL, for one quoted schema. Every write moves the change version in its own transaction.</summary>
internal sealed class SqlServerCommands(string schema) : ISqlStoreCommands
{
    private const string Columns = "[Name], [Envelope], [CreatedAt], [UpdatedAt], [Version]";

    public string Get { get; } = $"SELECT {Columns} FROM {schema}.[Secrets] WHERE [Namespace] = @Namespace AND [Name] = @Name;";

    public string List { get; } = $"SELECT {Columns} FROM {schema}.[Secrets] WHERE [Namespace] = @Namespace;";

    public string KeyIds { get; } = $"SELECT DISTINCT [KeyId] FROM {schema}.[Secrets];";

    public string ChangeVersion { get; } = $"SELECT [Version] FROM {schema}.[ChangeVersion] WHERE [Id] = 1;";

    // UPDLOCK + SERIALIZABLE holds the key range, so two writers of one new name cannot both insert.
    public string Set { get; } = $"""
        SET XACT_ABORT ON;
        BEGIN TRANSACTION;
        DECLARE @written TABLE ([Name] varchar(128), [Envelope] varbinary(max), [CreatedAt] datetimeoffset(7), [UpdatedAt] datetimeoffset(7), [Version] bigint);
        UPDATE {schema}.[Secrets] WITH (UPDLOCK, SERIALIZABLE)
            SET [Name] = @Name, [Envelope] = @Envelope, [KeyId] = @KeyId, [UpdatedAt] = @Timestamp, [Version] = [Version] + 1
            OUTPUT inserted.[Name], inserted.[Envelope], inserted.[CreatedAt], inserted.[UpdatedAt], inserted.[Version] INTO @written
            WHERE [Namespace] = @Namespace AND [Name] = @Name;
        IF @@ROWCOUNT = 0
            INSERT INTO {schema}.[Secrets] ([Namespace], [Name], [Envelope], [KeyId], [CreatedAt], [UpdatedAt], [Version])
                OUTPUT inserted.[Name], inserted.[Envelope], inserted.[CreatedAt], inserted.[UpdatedAt], inserted.[Version] INTO @written
                VALUES (@Namespace, @Name, @Envelope, @KeyId, @Timestamp, @Timestamp, 1);
        UPDATE {schema}.[ChangeVersion] SET [Version] = [Version] + 1 WHERE [Id] = 1;
        COMMIT TRANSACTION;
        SELECT {Columns} FROM @written;
        """;

    public string Scopes { get; } = $"SELECT DISTINCT [Namespace] FROM {schema}.[Secrets];";

    public string ReplaceEnvelope { get; } = $"""
        SET XACT_ABORT ON;
        BEGIN TRANSACTION;
        DECLARE @written TABLE ([Name] varchar(128), [Envelope] varbinary(max), [CreatedAt] datetimeoffset(7), [UpdatedAt] datetimeoffset(7), [Version] bigint);
        UPDATE {schema}.[Secrets]
            SET [Envelope] = @Envelope, [KeyId] = @KeyId, [Version] = [Version] + 1
            OUTPUT inserted.[Name], inserted.[Envelope], inserted.[CreatedAt], inserted.[UpdatedAt], inserted.[Version] INTO @written
            WHERE [Namespace] = @Namespace AND [Name] = @Name AND [Version] = @ExpectedVersion;
        IF @@ROWCOUNT > 0
            UPDATE {schema}.[ChangeVersion] SET [Version] = [Version] + 1 WHERE [Id] = 1;
        COMMIT TRANSACTION;
        SELECT {Columns} FROM @written;
        """;

    public string Delete { get; } = $"""
        SET XACT_ABORT ON;
        BEGIN TRANSACTION;
        DELETE FROM {schema}.[Secrets] WHERE [Namespace] = @Namespace AND [Name] = @Name;
        DECLARE @deleted int = @@ROWCOUNT;
        IF @deleted > 0
            UPDATE {schema}.[ChangeVersion] SET [Version] = [Version] + 1 WHERE [Id] = 1;
        COMMIT TRANSACTION;
        SELECT @deleted;
        """;
}
