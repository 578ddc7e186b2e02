namespace RootCx.Vault.Tests;

/// <summary>A fresh vault over an in-memory store for every test.</summary>
public abstract class VaultTests
{
    private VaultHarness _vault = null!;

    internal VaultHarness Harness => _vault;

    [SetUp]
    public void CreateVault() => _vault = new VaultHarness();

    [TearDown]
    public async Task DisposeVault() => await _vault.DisposeAsync();
}
