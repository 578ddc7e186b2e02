using BenchmarkDotNet.Attributes;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace RootCx.Vault.Benchmarks;

/// <summary>
/// Vault operations on the PostgreSQL store (a server at ROOTCX_VAULT_POSTGRESQL; benchmarks/README.md says how to
/// start a throwaway one), beside a raw upsert of one row of the same size with Npgsql: one round trip and one
/// commit, the floor of a durable set on this server.
/// </summary>
[BenchmarkCategory("PostgreSql")]
public class PostgreSqlVaultBenchmarks : VaultOperationBenchmarks
{
    private readonly string _schema = $"rcx_bench_{Environment.ProcessId}";
    private string _connectionString = null!;
    private NpgsqlDataSource _raw = null!;
    private byte[] _rawEnvelope = null!;

    [Benchmark(Baseline = true)]
    [BenchmarkCategory("Write")]
    public async Task RawUpsert()
    {
        await using NpgsqlConnection connection = await _raw.OpenConnectionAsync();
        await connection.ExecuteAsync(
            $"INSERT INTO \"{_schema}\".raw (id, envelope) VALUES (7, @Envelope) ON CONFLICT (id) DO UPDATE SET envelope = excluded.envelope;",
            new { Envelope = _rawEnvelope });
    }

    private protected override BenchmarkVault CreateVault()
    {
        _connectionString = Environment.GetEnvironmentVariable("ROOTCX_VAULT_POSTGRESQL")
            ?? throw new InvalidOperationException("Set ROOTCX_VAULT_POSTGRESQL to a PostgreSQL connection string (see benchmarks/README.md).");
        return new BenchmarkVault(vault => vault.PersistToPostgreSql(_connectionString, o => o.SchemaName = _schema));
    }

    protected override void SetUpBaseline()
    {
        _raw = NpgsqlDataSource.Create(_connectionString);
        using NpgsqlConnection connection = _raw.OpenConnection();
        _rawEnvelope = connection.QuerySingle<byte[]>($"SELECT envelope FROM \"{_schema}\".secrets WHERE name_key = 'SECRET_7';");
        connection.Execute($"CREATE TABLE \"{_schema}\".raw (id integer PRIMARY KEY, envelope bytea NOT NULL);");
    }

    protected override void CleanUpStore()
    {
        using (NpgsqlConnection connection = _raw.OpenConnection())
        {
            connection.Execute($"DROP SCHEMA \"{_schema}\" CASCADE;");
        }

        _raw.Dispose();
    }
}
