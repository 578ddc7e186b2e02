namespace RootCx.Vault.FileSystem.Tests;

/// <summary>A fresh store folder for every test, deleted afterwards.</summary>
public abstract class StoreFolderTests
{
    private TemporaryStoreFolder _folder = null!;

    private protected TemporaryStoreFolder Folder => _folder;

    [SetUp]
    public void CreateFolder() => _folder = new TemporaryStoreFolder();

    [TearDown]
    public void DeleteFolder() => _folder.Dispose();
}
