using BenchmarkDotNet.Attributes;
using RootCx.Vault.FileSystem;

namespace RootCx.Vault.Benchmarks;

/// <summary>
/// Vault operations on the file system store for an app with 50 secrets (set, list, read all, build a backend's
/// environment), beside a raw durable write
/// (write + fsync + rename + folder fsync) of a file the size of one secret file: the physical floor of a durable set.
/// </summary>
[BenchmarkCategory("FileSystem")]
public class FileSystemVaultBenchmarks
{
    private const int SecretsPerApp = 50;
    private static readonly SecretScope App = SecretScope.ForApp("bench-app");
    private static readonly string Value = new('v', 64);

    private string _root = null!;
    private BenchmarkVault _vault = null!;
    private byte[] _rawContent = null!;
    private string _rawPath = null!;
    private string _rawTemporary = null!;

    [GlobalSetup]
    public void Setup()
    {
        _root = Directory.CreateTempSubdirectory("rootcx-bench-fs-").FullName;
        _vault = new BenchmarkVault(Path.Combine(_root, "vault"));
        for (int i = 0; i < SecretsPerApp; i++)
        {
            _vault.Vault.SetAsync(App, $"SECRET_{i}", Value).AsTask().GetAwaiter().GetResult();
        }

        _rawContent = File.ReadAllBytes(Path.Combine(_root, "vault", "scopes", App.Namespace, "SECRET_7.secret"));
        Directory.CreateDirectory(Path.Combine(_root, "raw"));
        _rawPath = Path.Combine(_root, "raw", "SECRET_7.secret");
        _rawTemporary = Path.Combine(_root, "raw", "SECRET_7.tmp");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _vault.Dispose();
        Directory.Delete(_root, recursive: true);
    }

    [Benchmark(Baseline = true)]
    [BenchmarkCategory("Write")]
    public void RawDurableWrite()
    {
        using (var stream = new FileStream(_rawTemporary, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            stream.Write(_rawContent);
            stream.Flush(flushToDisk: true);
        }

        File.Move(_rawTemporary, _rawPath, overwrite: true);
        DurableFile.FlushDirectory(Path.GetDirectoryName(_rawPath)!);
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
}
