using RootCx.Vault.Storage;
using RootCx.Vault.Testing;

namespace RootCx.Vault.FileSystem.Tests;

public sealed class FileSystemSecretStoreConformanceTests : SecretStoreConformanceTests
{
    private TemporaryStoreFolder _folder = null!;

    protected override ValueTask<ISecretStore> CreateStoreAsync()
    {
        _folder = new TemporaryStoreFolder();
        return ValueTask.FromResult<ISecretStore>(new FileSystemSecretStore(_folder.Path));
    }

    protected override bool NotifiesOtherInstances => true;

    protected override ValueTask<ISecretStore?> OpenSecondInstanceAsync() =>
        ValueTask.FromResult<ISecretStore?>(new FileSystemSecretStore(_folder.Path));

    // A root under a regular file can never be created: every attempt fails with the file system's IOException.
    protected override ISecretStore? CreateUnreachableStore()
    {
        string file = Path.Combine(_folder.Path, "a-regular-file");
        File.WriteAllText(file, string.Empty);
        return new FileSystemSecretStore(Path.Combine(file, "store"));
    }

    protected override async ValueTask<IReadOnlyList<byte[]>> ReadRawStorageAsync() =>
        await Task.WhenAll(_folder.AllFiles.Select(path => File.ReadAllBytesAsync(path)));

    protected override ValueTask DeleteStoreAsync()
    {
        _folder.Dispose();
        return ValueTask.CompletedTask;
    }
}
