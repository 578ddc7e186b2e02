using Microsoft.Extensions.DependencyInjection;
using RootCx.Vault.Storage;

namespace RootCx.Vault.Benchmarks;

/// <summary>A vault under a fixed benchmark key on the store <c>persist</c> chooses, as a host registers it.</summary>
internal sealed class BenchmarkVault : IDisposable
{
    public const string MasterKey = "b0b1b2b3b4b5b6b7b8b9babbbcbdbebfc0c1c2c3c4c5c6c7c8c9cacbcccdcecf";

    private readonly ServiceProvider _provider;

    public BenchmarkVault(string root)
        : this(vault => vault.PersistToFileSystem(root))
    {
    }

    public BenchmarkVault(Action<IRootCxVaultBuilder> persist, Action<RootCxVaultOptions>? configure = null)
    {
        var services = new ServiceCollection().AddLogging();
        persist(services.AddRootCxVault(o =>
        {
            o.MasterKey = MasterKey;
            o.ReadMasterKeyFromEnvironment = false;
            configure?.Invoke(o);
        }));
        _provider = services.BuildServiceProvider();
        Vault = _provider.GetRequiredService<ISecretVault>();
        Reader = _provider.GetRequiredService<ISecretReader>();
        Injector = _provider.GetRequiredService<ISecretInjector>();
        Store = _provider.GetRequiredService<ISecretStore>();
    }

    /// <summary>Gets the store itself, below the vault, for benchmarks of a store operation alone.</summary>
    public ISecretStore Store { get; }

    public ISecretInjector Injector { get; }

    public ISecretVault Vault { get; }

    public ISecretReader Reader { get; }

    public void Dispose() => _provider.Dispose();
}
