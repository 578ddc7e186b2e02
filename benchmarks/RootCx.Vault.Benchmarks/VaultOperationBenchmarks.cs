using BenchmarkDotNet.Attributes;

namespace RootCx.Vault.Benchmarks;

/// <summary>
/// Vault operations for an app with 50 secrets of 64 bytes, on the store a derived class chooses: set, list, read all,
/// and build a backend's environment. Each derived class adds its store's raw durable write as the baseline.
/// </summary>
public abstract class VaultOperationBenchmarks
{
    private const int SecretsPerApp = 50;
    protected static readonly SecretScope App = SecretScope.ForApp("bench-app");
    private static readonly string Value = new('v', 64);

    private BenchmarkVault _vault = null!;

    [GlobalSetup]
    public void Setup()
    {
        _vault = CreateVault();
        for (int i = 0; i < SecretsPerApp; i++)
        {
            _vault.Vault.SetAsync(App, $"SECRET_{i}", Value).AsTask().GetAwaiter().GetResult();
        }

        SetUpBaseline();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _vault.Dispose();
        CleanUpStore();
    }

    [Benchmark]
    [BenchmarkCategory("Write")]
    public ValueTask<SecretMetadata> DurableSet() => _vault.Vault.SetAsync(App, "SECRET_7", Value);

    [Benchmark]
    [BenchmarkCategory("Read")]
    public ValueTask<IReadOnlyList<SecretMetadata>> List() => _vault.Vault.ListAsync(App);

    [Benchmark]
    [BenchmarkCategory("Read")]
    public async Task<int> ReadAll()
    {
        using SecretBundle bundle = await _vault.Reader.GetAllAsync(App);
        return bundle.Count;
    }

    /// <summary>What a runtime does before starting a backend: read, decrypt and apply the app's 50 secrets.</summary>
    [Benchmark]
    [BenchmarkCategory("Read")]
    public async Task<int> BuildBackendEnvironment()
    {
        var environment = new Dictionary<string, string?>();
        using SecretEnvironment secrets = await _vault.Injector.BuildEnvironmentAsync(App.Namespace);
        secrets.ApplyTo(environment);
        return environment.Count;
    }

    /// <summary>Creates an empty vault on the store under test.</summary>
    private protected abstract BenchmarkVault CreateVault();

    /// <summary>Prepares the baseline, after the app's secrets are written.</summary>
    protected abstract void SetUpBaseline();

    /// <summary>Deletes what the store wrote.</summary>
    protected abstract void CleanUpStore();
}
