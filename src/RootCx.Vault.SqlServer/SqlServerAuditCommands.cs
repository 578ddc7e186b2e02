namespace RootCx.Vault.SqlServer;

/// <summary>The audit log's T-SQL, for one schema (already bracket-quoted). Every statement is parsed by the tests.</summary>
internal sealed class SqlServerAuditCommands(string schema)
{
    private const string Columns = "[Seq], [Time], [Actor], [Action], [Namespace], [Name], [Version], [KeyId], [Outcome], [PrevHash], [Hash]";

    /// <summary>Takes the appenders' lock for the rest of the transaction, then reads the chain's head.</summary>
    public string LockAndReadHead { get; } = $"""
        DECLARE @lock int;
        EXEC @lock = sp_getapplock @Resource = @LockResource, @LockMode = N'Exclusive', @LockOwner = N'Transaction', @LockTimeout = 30000;
        IF @lock < 0
            THROW 51000, N'RootCx.Vault: could not take the audit lock.', 1;
        SELECT TOP (1) [Seq], [Hash] FROM {schema}.[AuditEvents] ORDER BY [Seq] DESC;
        """;

    public string Insert { get; } = $"""
        INSERT INTO {schema}.[AuditEvents] ({Columns})
        VALUES (@Seq, @Time, @Actor, @Action, @Namespace, @Name, @Version, @KeyId, @Outcome, @PrevHash, @Hash);
        """;

    /// <summary>One filtered page; names compare ignoring case through the column's collation.</summary>
    public string Read { get; } = $"""
        SELECT TOP (@Limit) {Columns} FROM {schema}.[AuditEvents]
        WHERE [Seq] > @After
          AND (@Namespace IS NULL OR [Namespace] = @Namespace)
          AND (@Name IS NULL OR [Name] = @Name)
          AND (@From IS NULL OR [Time] >= @From)
          AND (@Until IS NULL OR [Time] < @Until)
        ORDER BY [Seq];
        """;

    public string VerifyPage { get; } = $"SELECT TOP (@Limit) {Columns} FROM {schema}.[AuditEvents] WHERE [Seq] > @After ORDER BY [Seq];";
}
