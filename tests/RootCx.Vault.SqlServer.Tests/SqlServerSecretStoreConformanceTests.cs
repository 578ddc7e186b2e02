using Dapper;
using Microsoft.Data.SqlClient;
using RootCx.Vault.Storage;
using RootCx.Vault.Testing;

namespace RootCx.Vault.SqlServer.Tests;

/// <summary>
/// The conformance suite on a real SQL Server, one fresh schema per test. Runs when ROOTCX_VAULT_SQLSERVER holds a
/// connection string; reported as skipped otherwise (no SQL Server can run on the CI machine kind).
/// </summary>
public sealed class SqlServerSecretStoreConformanceTests : SecretStoreConformanceTests
{
    private static readonly string? ConnectionString = Environment.GetEnvironmentVariable("ROOTCX_VAULT_SQLSERVER");
    private string _schema = null!;

    protected override ValueTask<ISecretStore> CreateStoreAsync()
    {
        if (string.IsNullOrWhiteSpace(ConnectionString))
        {
            Assert.Ignore("ROOTCX_VAULT_SQLSERVER is not set: no SQL Server to run the conformance suite against.");
        }

        _schema = $"rcx_{Guid.NewGuid():N}";
        return ValueTask.FromResult<ISecretStore>(new SqlServerSecretStore(ConnectionString!, new SqlServerSecretStoreOptions { SchemaName = _schema }));
    }

    // Nobody listens on port 1: the connection is refused at once.
    protected override ISecretStore? CreateUnreachableStore() =>
        new SqlServerSecretStore("Server=tcp:127.0.0.1,1;Connect Timeout=5;ConnectRetryCount=0;Encrypt=false", new SqlServerSecretStoreOptions());

    protected override async ValueTask<IReadOnlyList<byte[]>> ReadRawStorageAsync()
    {
        await using var connection = new SqlConnection(ConnectionString);
        IEnumerable<byte[]> rows = await connection.QueryAsync<byte[]>($"""
            SELECT CAST([Namespace] + [Name] AS varbinary(max)) + [Envelope] FROM [{_schema}].[Secrets]
            UNION ALL SELECT CAST([Namespace] + [Name] AS varbinary(max)) + [Envelope] FROM [{_schema}].[SecretHistory];
            """);
        return [.. rows];
    }

    protected override async ValueTask DeleteStoreAsync()
    {
        if (string.IsNullOrWhiteSpace(ConnectionString) || _schema is null)
        {
            return;
        }

        await using var connection = new SqlConnection(ConnectionString);
        await connection.ExecuteAsync($"""
            DROP TABLE IF EXISTS [{_schema}].[AuditEvents], [{_schema}].[SecretHistory], [{_schema}].[Secrets], [{_schema}].[KeyIds], [{_schema}].[ScopeVersions], [{_schema}].[ChangeVersion], [{_schema}].[SchemaVersion];
            DROP SCHEMA IF EXISTS [{_schema}];
            """);
    }
}
