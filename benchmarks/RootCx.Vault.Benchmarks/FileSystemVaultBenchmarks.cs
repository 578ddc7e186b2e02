using BenchmarkDotNet.Attributes;
using RootCx.Vault.FileSystem;

namespace RootCx.Vault.Benchmarks;

/// <summary>
/// Vault operations on the file system store, beside a raw durable write (write + fsync + rename + folder fsync) of a
/// file the size of one secret file: the physical floor of a durable set.
/// </summary>
[BenchmarkCategory("FileSystem")]
public class FileSystemVaultBenchmarks : VaultOperationBenchmarks
{
    private string _root = null!;
    private byte[] _rawContent = null!;
    private string _rawPath = null!;
    private string _rawTemporary = null!;

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

    private protected override BenchmarkVault CreateVault()
    {
        _root = Directory.CreateTempSubdirectory("rootcx-bench-fs-").FullName;
        return new BenchmarkVault(Path.Combine(_root, "vault"));
    }

    protected override void SetUpBaseline()
    {
        _rawContent = File.ReadAllBytes(Path.Combine(_root, "vault", "scopes", App.Namespace, "SECRET_7.secret"));
        Directory.CreateDirectory(Path.Combine(_root, "raw"));
        _rawPath = Path.Combine(_root, "raw", "SECRET_7.secret");
        _rawTemporary = Path.Combine(_root, "raw", "SECRET_7.tmp");
    }

    protected override void CleanUpStore() => Directory.Delete(_root, recursive: true);
}
