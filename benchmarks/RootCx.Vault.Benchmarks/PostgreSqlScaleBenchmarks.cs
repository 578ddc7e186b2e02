using BenchmarkDotNet.Attributes;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace RootCx.Vault.Benchmarks;

/// <summary>
/// A host's start-up, and listing and reading one app of 100 secrets, on PostgreSQL (ROOTCX_VAULT_POSTGRESQL) with 100
/// secrets in the store and with 100,000 over 1,000 apps: the cost follows the app, not the store.
/// </summary>
[BenchmarkCategory("PostgreSqlScale")]
public class PostgreSqlScaleBenchmarks
{
    private const int SecretsPerApp = 100;
    private static readonly SecretScope App = SecretScope.ForApp("app-0007");
    private static readonly SecretScope NoApp = SecretScope.ForApp("no-such-app");

    private readonly string _schema = $"rcx_bench_scale_{Environment.ProcessId}";
    private string _connectionString = null!;
    private BenchmarkVault _vault = null!;

    [Params(1, 1000)]
    public int Apps { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _connectionString = Environment.GetEnvironmentVariable("ROOTCX_VAULT_POSTGRESQL")
            ?? throw new InvalidOperationException("Set ROOTCX_VAULT_POSTGRESQL to a PostgreSQL connection string (see benchmarks/README.md).");
        _vault = CreateVault();
        for (int i = 0; i < SecretsPerApp; i++)
        {
            _vault.Vault.SetAsync(App, $"SECRET_{i}", "a-typical-secret-value-of-some-forty-chars").AsTask().GetAwaiter().GetResult();
        }

        // The other apps, in one statement: copies of a real envelope (only the app measured is ever opened).
        using var connection = new NpgsqlConnection(_connectionString);
        connection.Execute($"""
            INSERT INTO "{_schema}".secrets (namespace, name, envelope, key_id, created_at, updated_at, version)
            SELECT 'app-' || lpad((a + 1000)::text, 4, '0'), s.name, s.envelope, s.key_id, s.created_at, s.updated_at, 1
            FROM generate_series(1, @Others) a CROSS JOIN "{_schema}".secrets s WHERE s.namespace = 'app-0007';
            ANALYZE "{_schema}".secrets;
            """, new { Others = Apps - 1 });
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _vault.Dispose();
        using var connection = new NpgsqlConnection(_connectionString);
        connection.Execute($"DROP SCHEMA \"{_schema}\" CASCADE;");
    }

    /// <summary>A host's start-up: a new connection pool, the key ring loaded and checked against the key record.</summary>
    [Benchmark]
    public async Task<int> StartUp()
    {
        using BenchmarkVault vault = CreateVault();
        return (await vault.Vault.ListAsync(NoApp)).Count;
    }

    [Benchmark]
    public ValueTask<IReadOnlyList<SecretMetadata>> ListOneApp() => _vault.Vault.ListAsync(App);

    [Benchmark]
    public async Task<int> ReadOneApp()
    {
        using SecretBundle bundle = await _vault.Reader.GetAllAsync(App);
        return bundle.Count;
    }

    private BenchmarkVault CreateVault() => new(vault => vault.PersistToPostgreSql(_connectionString, o => o.SchemaName = _schema));
}
