using BenchmarkDotNet.Attributes;
using RootCx.Vault.FileSystem;

namespace RootCx.Vault.Benchmarks;

/// <summary>
/// Whether group commit would raise the file system store's parallel throughput: eight writers setting eight secrets
/// of one app, through the store as it ships (one lock, each write durable on its own), beside the best a group commit
/// could do with the same durability: each file written and fsynced (its content must be on disk before its rename
/// can be), then the eight renames and one folder fsync instead of eight. Only the folder fsync can be shared.
/// </summary>
[BenchmarkCategory("GroupCommit")]
public class GroupCommitBenchmarks
{
    private const int Writers = 8;
    private static readonly SecretScope App = SecretScope.ForApp("bench-app");

    private string _root = null!;
    private BenchmarkVault _vault = null!;
    private byte[] _content = null!;
    private string _rawFolder = null!;

    [GlobalSetup]
    public void Setup()
    {
        _root = Directory.CreateTempSubdirectory("rootcx-bench-group-").FullName;
        _vault = new BenchmarkVault(Path.Combine(_root, "vault"));
        _vault.Vault.SetAsync(App, "SECRET_0", new string('v', 64)).AsTask().GetAwaiter().GetResult();
        _content = File.ReadAllBytes(Path.Combine(_root, "vault", "scopes", App.Namespace, "SECRET_0.secret"));
        _rawFolder = Directory.CreateDirectory(Path.Combine(_root, "raw")).FullName;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _vault.Dispose();
        Directory.Delete(_root, recursive: true);
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Writers)]
    public Task StoreAsShipped() =>
        Task.WhenAll(Enumerable.Range(0, Writers).Select(i => Task.Run(async () => await _vault.Vault.SetAsync(App, $"SECRET_{i}", new string('v', 64)))));

    [Benchmark(OperationsPerInvoke = Writers)]
    public async Task BestGroupCommit()
    {
        // The file contents in parallel, as queued writers would hand them over.
        await Task.WhenAll(Enumerable.Range(0, Writers).Select(i => Task.Run(() =>
        {
            using var stream = new FileStream(Path.Combine(_rawFolder, $"{i}.tmp"), FileMode.Create, FileAccess.Write, FileShare.None);
            stream.Write(_content);
            stream.Flush(flushToDisk: true);
        })));
        for (int i = 0; i < Writers; i++)
        {
            File.Move(Path.Combine(_rawFolder, $"{i}.tmp"), Path.Combine(_rawFolder, $"SECRET_{i}.secret"), overwrite: true);
        }

        DurableFile.FlushDirectory(_rawFolder);
    }
}
