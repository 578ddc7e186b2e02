namespace RootCx.Vault.FileSystem.Tests;

/// <summary>A fresh folder per test, deleted afterwards.</summary>
internal sealed class TemporaryStoreFolder : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("rootcx-fs-").FullName;

    public IEnumerable<string> AllFiles => Directory.EnumerateFiles(Path, "*", SearchOption.AllDirectories);

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
