using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using RootCx.Vault.Testing;

namespace RootCx.Vault.PostgreSql.Tests;

/// <summary>The audit log conformance suite on a real PostgreSQL server, one fresh schema per test.</summary>
public sealed class PostgreSqlAuditLogConformanceTests : SecretAuditLogConformanceTests
{
    private readonly List<PostgreSqlSecretStore> _stores = [];
    private string _schema = null!;

    private static string ConnectionString => PostgreSqlServer.ConnectionString;

    protected override ValueTask<ISecretAuditLog> CreateLogAsync()
    {
        _schema = PostgreSqlServer.NewSchemaName();
        return OpenSecondInstanceAsync();
    }

    protected override ValueTask<ISecretAuditLog> OpenSecondInstanceAsync()
    {
        var store = new PostgreSqlSecretStore(ConnectionString, new PostgreSqlSecretStoreOptions { SchemaName = _schema }, logger: null);
        _stores.Add(store);
        return ValueTask.FromResult<ISecretAuditLog>(new PostgreSqlAuditLog(store, _schema));
    }

    protected override async ValueTask EditActorAsync(long sequence, string actor)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.ExecuteAsync($"UPDATE \"{_schema}\".audit_events SET actor = @Actor WHERE seq = @Seq;", new { Actor = actor, Seq = sequence });
    }

    protected override async ValueTask RemoveEventAsync(long sequence)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.ExecuteAsync($"DELETE FROM \"{_schema}\".audit_events WHERE seq = @Seq;", new { Seq = sequence });
    }

    protected override async ValueTask<string> ReadRawAsync()
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        IEnumerable<string> rows = await connection.QueryAsync<string>($"SELECT row_to_json(a)::text FROM \"{_schema}\".audit_events a ORDER BY seq;");
        return string.Join('\n', rows);
    }

    protected override void PersistTo(IRootCxVaultBuilder builder) => builder.PersistToPostgreSql(ConnectionString, o => o.SchemaName = _schema);

    protected override async ValueTask DeleteLogAsync()
    {
        foreach (PostgreSqlSecretStore store in _stores)
        {
            await store.DisposeAsync();
        }

        _stores.Clear();
        await PostgreSqlServer.DropSchemaAsync(ConnectionString, _schema);
    }
}
