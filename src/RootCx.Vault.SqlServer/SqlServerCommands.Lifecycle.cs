namespace RootCx.Vault.SqlServer;

internal sealed partial class SqlServerCommands
{
    // A deleted secret as it was, with the time of its deletion; names compare as in the tables.
    private const string PurgedTable = """
        DECLARE @purged TABLE ([Namespace] varchar(64) COLLATE Latin1_General_100_CI_AS, [Name] varchar(128) COLLATE Latin1_General_100_CI_AS,
            [Envelope] varbinary(max), [KeyId] int, [CreatedAt] datetimeoffset(7), [UpdatedAt] datetimeoffset(7), [Version] bigint, [DeletedAt] datetimeoffset(7));
        """;

    private const string Purged = "deleted.[Namespace], deleted.[Name], deleted.[Envelope], deleted.[KeyId], deleted.[CreatedAt], deleted.[UpdatedAt], deleted.[Version], deleted.[DeletedAt]";

    public string History { get; } = $"SELECT {Columns} FROM {schema}.[SecretHistory] WHERE {ByName} ORDER BY [Version] DESC;";

    public string ListHistory { get; } = $"SELECT {Columns} FROM {schema}.[SecretHistory] WHERE [Namespace] = @Namespace;";

    // No reader sees history, so the change version stays. The foreign key backs the EXISTS up against a removal.
    public string ReplaceHistoryEnvelope { get; } = $"""
        UPDATE {schema}.[SecretHistory] SET [Envelope] = @Envelope, [KeyId] = @KeyId
            WHERE {ByName} AND [Version] = @Version AND EXISTS (SELECT 1 FROM {schema}.[KeyIds] WHERE [KeyId] = @KeyId);
        """;

    public string ListDeleted { get; } = $"SELECT {Columns}, [DeletedAt] FROM {schema}.[Secrets] WHERE [Namespace] = @Namespace AND {Deleted};";

    public string Recover { get; } = $"""
        SET XACT_ABORT ON;
        BEGIN TRANSACTION;
        {WrittenTable}
        UPDATE {schema}.[Secrets] SET [DeletedAt] = NULL
            OUTPUT {Inserted} INTO @written
            WHERE {ByName} AND {Deleted};
        IF @@ROWCOUNT > 0
        BEGIN
            {MoveVersions(schema)}
        END;
        COMMIT TRANSACTION;
        SELECT {Columns} FROM @written;
        """;

    // The update's exclusive lock on the name's row, held to commit, keeps a set from adding an older version while the
    // history goes; the tombstone keeps the version only.
    public string Purge { get; } = $"""
        SET XACT_ABORT ON;
        BEGIN TRANSACTION;
        {PurgedTable}
        UPDATE {schema}.[Secrets] SET [Envelope] = NULL, [KeyId] = NULL, [DeletedAt] = NULL
            OUTPUT {Purged} INTO @purged
            WHERE {ByName} AND {Deleted};
        IF @@ROWCOUNT > 0
        BEGIN
            DELETE FROM {schema}.[SecretHistory] WHERE {ByName};
            {MoveVersions(schema)}
        END;
        COMMIT TRANSACTION;
        SELECT {Columns}, [DeletedAt] FROM @purged;
        """;

    // Purge's statements for a batch of names of any scopes (the filtered index on [DeletedAt] finds them).
    public string PurgeDeleted { get; } = $"""
        SET XACT_ABORT ON;
        BEGIN TRANSACTION;
        {PurgedTable}
        UPDATE TOP (@Limit) {schema}.[Secrets] SET [Envelope] = NULL, [KeyId] = NULL, [DeletedAt] = NULL
            OUTPUT {Purged} INTO @purged
            WHERE [DeletedAt] < @DeletedBefore;
        IF @@ROWCOUNT > 0
        BEGIN
            DELETE h FROM {schema}.[SecretHistory] h JOIN @purged p ON h.[Namespace] = p.[Namespace] AND h.[Name] = p.[Name];
            {MoveVersionsOf(schema, "@purged")}
        END;
        COMMIT TRANSACTION;
        SELECT [Namespace], {Columns}, [DeletedAt] FROM @purged;
        """;
}
