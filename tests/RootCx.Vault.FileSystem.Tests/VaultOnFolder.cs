using Microsoft.Extensions.DependencyInjection;
using RootCx.Vault.Testing;

namespace RootCx.Vault.FileSystem.Tests;

/// <summary>A vault on the file system store, as a host registers it.</summary>
internal sealed class VaultOnFolder : IAsyncDisposable
{
    private readonly ServiceProvider _provider;

    public VaultOnFolder(string root, string masterKey = TestKeys.Primary)
    {
        var services = new ServiceCollection().AddLogging();
        services.AddRootCxVault(o =>
        {
            o.MasterKey = masterKey;
            o.ReadMasterKeyFromEnvironment = false;
        }).PersistToFileSystem(root);
        _provider = services.BuildServiceProvider();
    }

    public ISecretVault Vault => _provider.GetRequiredService<ISecretVault>();

    public ISecretReader Reader => _provider.GetRequiredService<ISecretReader>();

    public async Task<Dictionary<string, string>> ReadAllAsync(SecretScope scope)
    {
        using SecretBundle bundle = await Reader.GetAllAsync(scope);
        return bundle.ToDictionary(v => v.Name, v => v.RevealString());
    }

    public ValueTask DisposeAsync() => _provider.DisposeAsync();
}
