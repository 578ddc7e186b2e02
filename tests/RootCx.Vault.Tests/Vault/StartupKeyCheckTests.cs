using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RootCx.Vault.Testing;

namespace RootCx.Vault.Tests.Vault;

/// <summary>Start-up through a real generic host: options validation and the key check against the store.</summary>
public class StartupKeyCheckTests
{
    private string _directory = null!;

    private string KeyFile => Path.Combine(_directory, "config", "master.key");

    [SetUp]
    public void CreateDirectory() => _directory = Directory.CreateTempSubdirectory("rootcx-startup-").FullName;

    [TearDown]
    public void DeleteDirectory() => Directory.Delete(_directory, recursive: true);

    [Test]
    public async Task First_boot_creates_the_key_file_and_later_boots_reuse_it()
    {
        var store = new InMemorySecretStore();
        using (IHost first = BuildHost(store, masterKey: null))
        {
            await first.StartAsync();
            await first.Services.GetRequiredService<ISecretVault>().SetAsync(SecretScope.Platform, "TOKEN", "value-1");
            await first.StopAsync();
        }

        Assert.That(File.Exists(KeyFile), Is.True);
        using IHost second = BuildHost(store, masterKey: null);
        await second.StartAsync();
        using SecretValue? value = await second.Services.GetRequiredService<ISecretReader>().GetAsync(SecretScope.Platform, "TOKEN");
        Assert.That(value!.RevealString(), Is.EqualTo("value-1"));
    }

    [Test]
    public async Task A_wrong_master_key_stops_the_host_naming_key_ids_only()
    {
        var store = new InMemorySecretStore();
        using (IHost first = BuildHost(store, TestKeys.Primary))
        {
            await first.StartAsync();
            await first.Services.GetRequiredService<ISecretVault>().SetAsync(SecretScope.ForApp("shop"), "API_KEY", "v");
        }

        using IHost wrong = BuildHost(store, TestKeys.Secondary);
        var error = Assert.ThrowsAsync<MasterKeyException>(() => wrong.StartAsync());

        Assert.That(error!.Message, Does.Contain(TestKeys.IdOf(TestKeys.Primary).ToString()).And.Contain(TestKeys.IdOf(TestKeys.Secondary).ToString()));
        Assert.That(error.Message, Does.Not.Contain(TestKeys.Primary).And.Not.Contain(TestKeys.Secondary));
        Assert.ThrowsAsync<MasterKeyException>(async () => await wrong.Services.GetRequiredService<ISecretVault>().SetAsync(SecretScope.ForApp("shop"), "API_KEY", "overwrite"));
    }

    [Test]
    public async Task A_previous_key_lets_old_secrets_open_while_new_ones_seal_under_the_active_key()
    {
        var store = new InMemorySecretStore();
        using (IHost old = BuildHost(store, TestKeys.Secondary))
        {
            await old.StartAsync();
            await old.Services.GetRequiredService<ISecretVault>().SetAsync(SecretScope.Platform, "OLD", "old-value");
        }

        using IHost rotated = BuildHost(store, TestKeys.Primary, o => o.PreviousMasterKeys.Add(TestKeys.Secondary));
        await rotated.StartAsync();
        SecretMetadata fresh = await rotated.Services.GetRequiredService<ISecretVault>().SetAsync(SecretScope.Platform, "NEW", "new-value");
        using SecretBundle all = await rotated.Services.GetRequiredService<ISecretReader>().GetAllAsync(SecretScope.Platform);

        Assert.That(fresh.KeyId, Is.EqualTo(TestKeys.IdOf(TestKeys.Primary)));
        Assert.That(all.Select(v => v.RevealString()), Is.EqualTo(new[] { "new-value", "old-value" }));
    }

    [Test]
    public async Task A_missing_key_over_existing_data_is_refused_and_no_key_is_generated()
    {
        var store = new InMemorySecretStore();
        using (IHost first = BuildHost(store, masterKey: null))
        {
            await first.StartAsync();
            await first.Services.GetRequiredService<ISecretVault>().SetAsync(SecretScope.Platform, "TOKEN", "v");
        }

        File.Delete(KeyFile);
        using IHost lost = BuildHost(store, masterKey: null);
        var error = Assert.ThrowsAsync<MasterKeyException>(() => lost.StartAsync());

        Assert.That(error!.Message, Does.Contain("Restore the key file").And.Contain(KeyFile).And.Contain("ROOTCX_MASTER_KEY"));
        Assert.That(File.Exists(KeyFile), Is.False);
    }

    [Test]
    public void A_malformed_master_key_fails_validation_at_start_without_echoing_it()
    {
        const string Malformed = "zz0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
        using IHost host = BuildHost(new InMemorySecretStore(), Malformed, o => o.PreviousMasterKeys.Add("short"));

        var error = Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.That(error!.Failures.Count(), Is.EqualTo(2), "all problems are reported together");
        Assert.That(error.Message, Does.Contain("64 hexadecimal").And.Contain("PreviousMasterKeys[0]"));
        Assert.That(error.Message, Does.Not.Contain("zz0102").And.Not.Contain("short"));
    }

    [Test]
    public void No_store_registered_is_a_start_up_error_that_says_what_to_do()
    {
        HostApplicationBuilder builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddRootCxVault(o => o.MasterKey = TestKeys.Primary);
        using IHost host = builder.Build();

        var error = Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());
        Assert.That(error!.Message, Does.Contain("No secret store is registered").And.Contain("PersistToFileSystem"));
    }

    private IHost BuildHost(InMemorySecretStore store, string? masterKey, Action<RootCxVaultOptions>? configure = null)
    {
        HostApplicationBuilder builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddRootCxVault(o =>
        {
            o.MasterKey = masterKey;
            o.ReadMasterKeyFromEnvironment = false;
            o.KeyFilePath = KeyFile;
            configure?.Invoke(o);
        }).UseStore(_ => store);
        return builder.Build();
    }
}
