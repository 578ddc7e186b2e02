using BenchmarkDotNet.Attributes;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using RootCx.Vault.Storage;

namespace RootCx.Vault.Benchmarks;

/// <summary>
/// What history and soft delete cost, on each store, in one run: a durable set that keeps the envelope it replaces
/// (nine older versions kept, the default) against one that keeps none, as every set did before history (the
/// baseline), in the store alone and through the vault (sealing and the durable audit event included: what a caller
/// waits for); and list and read of an app of 50 secrets in a store where each of them has nine older versions and 50
/// deleted secrets lie beside them (<c>Clutter</c> on), against the same app alone.
/// </summary>
[BenchmarkCategory("Lifecycle")]
public class LifecycleBenchmarks
{
    private const int SecretsPerApp = 50;
    private const string Value = "a-typical-secret-value-of-some-forty-chars";
    private static readonly SecretScope App = SecretScope.ForApp("lifecycle");
    private static readonly SecretName Written = SecretName.Parse("WRITTEN");

    private readonly string _schema = $"rcx_bench_lifecycle_{Environment.ProcessId}";
    private string? _root;
    private string? _connectionString;
    private BenchmarkVault _vault = null!;
    private BenchmarkVault _vaultWithoutHistory = null!;
    private StoredSecret _template = null!;

    [Params("FileSystem", "PostgreSql")]
    public string Store { get; set; } = "";

    [Params(false, true)]
    public bool Clutter { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _vault = CreateVault();
        _vaultWithoutHistory = CreateVault(o => o.MaxVersions = 1);
        Run(async () =>
        {
            for (int i = 0; i < SecretsPerApp; i++)
            {
                await _vault.Vault.SetAsync(App, $"SECRET_{i}", Value);
                for (int older = 0; Clutter && older < RootCxVaultOptions.DefaultMaxVersions - 1; older++)
                {
                    await _vault.Vault.SetAsync(App, $"SECRET_{i}", Value);
                }

                if (Clutter)
                {
                    await _vault.Vault.SetAsync(App, $"DELETED_{i}", Value);
                    await _vault.Vault.SetAsync(App, $"DELETED_{i}", Value);
                    await _vault.Vault.DeleteAsync(App, $"DELETED_{i}");
                }
            }

            // Enough versions that every measured set with history also drops the oldest.
            for (int i = 0; i < RootCxVaultOptions.DefaultMaxVersions; i++)
            {
                await _vault.Vault.SetAsync(App, Written.Value, Value);
            }

            _template = (await _vault.Store.GetAsync(App, Written))!;
        });
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _vault.Dispose();
        _vaultWithoutHistory.Dispose();
        if (_root is not null)
        {
            Directory.Delete(_root, recursive: true);
        }

        if (_connectionString is not null)
        {
            using var connection = new NpgsqlConnection(_connectionString);
            connection.Execute($"DROP SCHEMA \"{_schema}\" CASCADE;");
        }
    }

    /// <summary>A durable set of the store that keeps no older version: what a set was before history.</summary>
    [Benchmark(Baseline = true)]
    public ValueTask<StoredSecret> SetKeepingNoHistory() => StoreSet(maxVersions: 1);

    [Benchmark]
    public ValueTask<StoredSecret> SetKeepingHistory() => StoreSet(RootCxVaultOptions.DefaultMaxVersions);

    /// <summary>A set through a vault whose secrets keep no history (MaxVersions 1), of a name of its own.</summary>
    [Benchmark]
    public ValueTask<SecretMetadata> VaultSetKeepingNoHistory() => _vaultWithoutHistory.Vault.SetAsync(App, "WRITTEN_ALONE", Value);

    [Benchmark]
    public ValueTask<SecretMetadata> VaultSetKeepingHistory() => _vault.Vault.SetAsync(App, Written.Value, Value);

    [Benchmark]
    public ValueTask<IReadOnlyList<SecretMetadata>> ListApp() => _vault.Vault.ListAsync(App);

    [Benchmark]
    public async Task<int> ReadApp()
    {
        using SecretBundle bundle = await _vault.Reader.GetAllAsync(App);
        return bundle.Count;
    }

    private ValueTask<StoredSecret> StoreSet(int maxVersions) =>
        _vault.Store.SetAsync(App, Written, _template.Envelope, _template.KeyId, DateTimeOffset.UtcNow, SecretPrecondition.None, maxVersions);

    private BenchmarkVault CreateVault(Action<RootCxVaultOptions>? configure = null)
    {
        if (Store == "FileSystem")
        {
            _root = Path.Combine(Path.GetTempPath(), $"rootcx-bench-lifecycle-{Environment.ProcessId}");
            return new BenchmarkVault(vault => vault.PersistToFileSystem(_root), configure);
        }

        _connectionString = Environment.GetEnvironmentVariable("ROOTCX_VAULT_POSTGRESQL")
            ?? throw new InvalidOperationException("Set ROOTCX_VAULT_POSTGRESQL to a PostgreSQL connection string (see benchmarks/README.md).");
        return new BenchmarkVault(vault => vault.PersistToPostgreSql(_connectionString, o => o.SchemaName = _schema), configure);
    }

    private static void Run(Func<Task> setup) => setup().GetAwaiter().GetResult();
}
