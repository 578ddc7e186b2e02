using Dapper;
using Microsoft.Data.SqlClient;
using Microsoft.Extensions.DependencyInjection;
using RootCx.Vault.Testing;

namespace RootCx.Vault.SqlServer.Tests;

/// <summary>
/// The audit log conformance suite on a real SQL Server, one fresh schema per test. Runs when ROOTCX_VAULT_SQLSERVER
/// holds a connection string; reported as skipped otherwise.
/// </summary>
public sealed class SqlServerAuditLogConformanceTests : SecretAuditLogConformanceTests
{
    private static readonly string? ConnectionString = Environment.GetEnvironmentVariable("ROOTCX_VAULT_SQLSERVER");
    private string? _schema;

    protected override ValueTask<ISecretAuditLog> CreateLogAsync()
    {
        if (string.IsNullOrWhiteSpace(ConnectionString))
        {
            Assert.Ignore("ROOTCX_VAULT_SQLSERVER is not set: no SQL Server to run the audit log suite against.");
        }

        _schema = $"rcx_{Guid.NewGuid():N}";
        return OpenSecondInstanceAsync();
    }

    protected override ValueTask<ISecretAuditLog> OpenSecondInstanceAsync() => ValueTask.FromResult<ISecretAuditLog>(
        new SqlServerAuditLog(new SqlServerSecretStore(ConnectionString!, new SqlServerSecretStoreOptions { SchemaName = _schema! }), _schema!));

    protected override async ValueTask EditActorAsync(long sequence, string actor)
    {
        await using var connection = new SqlConnection(ConnectionString);
        await connection.ExecuteAsync($"UPDATE [{_schema}].[AuditEvents] SET [Actor] = @Actor WHERE [Seq] = @Seq;", new { Actor = actor, Seq = sequence });
    }

    protected override async ValueTask RemoveEventAsync(long sequence)
    {
        await using var connection = new SqlConnection(ConnectionString);
        await connection.ExecuteAsync($"DELETE FROM [{_schema}].[AuditEvents] WHERE [Seq] = @Seq;", new { Seq = sequence });
    }

    protected override async ValueTask<string> ReadRawAsync()
    {
        await using var connection = new SqlConnection(ConnectionString);
        IEnumerable<string> rows = await connection.QueryAsync<string>($"SELECT (SELECT a.* FOR JSON PATH, WITHOUT_ARRAY_WRAPPER) FROM [{_schema}].[AuditEvents] a ORDER BY [Seq];");
        return string.Join('\n', rows);
    }

    protected override void PersistTo(IRootCxVaultBuilder builder) => builder.PersistToSqlServer(ConnectionString!, o => o.SchemaName = _schema!);

    protected override async ValueTask DeleteLogAsync()
    {
        if (string.IsNullOrWhiteSpace(ConnectionString) || _schema is null)
        {
            return;
        }

        await using var connection = new SqlConnection(ConnectionString);
        await connection.ExecuteAsync($"""
            DROP TABLE IF EXISTS [{_schema}].[AuditEvents], [{_schema}].[Secrets], [{_schema}].[KeyIds], [{_schema}].[ScopeVersions], [{_schema}].[ChangeVersion], [{_schema}].[SchemaVersion];
            DROP SCHEMA IF EXISTS [{_schema}];
            """);
    }
}
