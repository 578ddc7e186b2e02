using BenchmarkDotNet.Attributes;

namespace RootCx.Vault.Benchmarks;

/// <summary>
/// What group commit buys the file system store: eight sets of eight secrets of one app, one after another (each its
/// own commit: two fsyncs, as every write was before group commit) beside the same eight from eight writers at once,
/// which queue on the store lock and are committed together (their files flushed in parallel, the folder once).
/// </summary>
[BenchmarkCategory("GroupCommit")]
public class GroupCommitBenchmarks
{
    private const int Writers = 8;
    private static readonly SecretScope App = SecretScope.ForApp("bench-app");
    private static readonly string Value = new('v', 64);

    private string _root = null!;
    private BenchmarkVault _vault = null!;

    [GlobalSetup]
    public void Setup()
    {
        _root = Directory.CreateTempSubdirectory("rootcx-bench-group-").FullName;
        _vault = new BenchmarkVault(Path.Combine(_root, "vault"));
        OneAtATime().GetAwaiter().GetResult();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _vault.Dispose();
        Directory.Delete(_root, recursive: true);
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Writers)]
    public async Task OneAtATime()
    {
        for (int i = 0; i < Writers; i++)
        {
            await _vault.Vault.SetAsync(App, $"SECRET_{i}", Value);
        }
    }

    [Benchmark(OperationsPerInvoke = Writers)]
    public Task EightWritersAtOnce() =>
        Task.WhenAll(Enumerable.Range(0, Writers).Select(i => Task.Run(async () => await _vault.Vault.SetAsync(App, $"SECRET_{i}", Value))));
}
