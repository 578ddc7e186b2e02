using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using RootCx.Vault.Storage;
using RootCx.Vault.Testing;

namespace RootCx.Vault.Tests.Diagnostics;

/// <summary><c>AddHealthChecks().AddRootCxVault()</c>: each problem named, and never a secret.</summary>
public class HealthCheckTests
{
    private const string Name = "STRIPE_KEY";
    private static readonly SecretScope Shop = SecretScope.ForApp("shop");

    [Test]
    public async Task Healthy_when_the_store_answers_and_the_key_matches_its_record()
    {
        await using var vault = new VaultHarness();
        await vault.Vault.SetAsync(Shop, Name, "value");

        HealthReportEntry entry = await CheckAsync(vault.Health);

        Assert.That(entry.Status, Is.EqualTo(HealthStatus.Healthy));
        Assert.That(entry.Data["activeKeyId"], Is.EqualTo(TestKeys.IdOf(TestKeys.Primary).ToString()));
    }

    [Test]
    public async Task Unhealthy_naming_the_unreachable_store_when_it_stops_answering()
    {
        var store = new SwitchableStore(new InMemorySecretStore());
        await using ServiceProvider services = BuildVault(TestKeys.Primary, store);
        await services.GetRequiredService<ISecretVault>().SetAsync(Shop, Name, "value");

        store.Down = true;
        HealthReportEntry entry = await CheckAsync(services.GetRequiredService<HealthCheckService>());

        Assert.That((entry.Status, entry.Description), Is.EqualTo((HealthStatus.Unhealthy, "The secret store could not be reached.")));
        Assert.That(entry.Exception, Is.InstanceOf<SecretStoreException>());
    }

    [Test]
    public async Task Unhealthy_naming_the_failed_key_check_when_the_key_is_not_the_stores()
    {
        var store = new InMemorySecretStore();
        await using (var other = new VaultHarness(TestKeys.Secondary, store))
        {
            await other.Vault.SetAsync(Shop, Name, "value");
        }

        await using var wrong = new VaultHarness(TestKeys.Primary, store);
        HealthReportEntry entry = await CheckAsync(wrong.Health);

        Assert.That(entry.Status, Is.EqualTo(HealthStatus.Unhealthy));
        Assert.That(entry.Description, Does.StartWith("The master key check failed:").And.Not.Contain(Name));
    }

    [Test]
    public async Task Unhealthy_naming_an_unknown_key_id_another_host_brought_in()
    {
        await using var vault = new VaultHarness();
        await vault.Vault.SetAsync(Shop, Name, "value");
        var newer = new MasterKeyId(0x0bad_cafe);
        await vault.Store.AddKeyIdAsync(newer, TestKeys.IdOf(TestKeys.Primary));

        HealthReportEntry entry = await CheckAsync(vault.Health);

        Assert.That(entry.Status, Is.EqualTo(HealthStatus.Unhealthy));
        Assert.That(entry.Description, Does.Contain(newer.ToString()).And.Contain("unknown key id").And.Not.Contain(Name));
    }

    [Test]
    public async Task Degraded_while_previous_keys_stay_configured_after_the_rotation_has_finished()
    {
        var store = new InMemorySecretStore();
        await using (var old = new VaultHarness(TestKeys.Secondary, store))
        {
            await old.Vault.SetAsync(Shop, Name, "value");
        }

        await using var rotated = new VaultHarness(TestKeys.Primary, store, null, TestKeys.Secondary);
        Assert.That((await CheckAsync(rotated.Health)).Status, Is.EqualTo(HealthStatus.Healthy), "mid-rotation the previous key is still needed");

        await rotated.Vault.RotateAsync();
        HealthReportEntry entry = await CheckAsync(rotated.Health);

        Assert.That(entry.Status, Is.EqualTo(HealthStatus.Degraded));
        Assert.That(entry.Description, Does.Contain(TestKeys.IdOf(TestKeys.Secondary).ToString()).And.Contain("PreviousMasterKeys").And.Not.Contain(Name));
    }

    private static async Task<HealthReportEntry> CheckAsync(HealthCheckService health) =>
        (await health.CheckHealthAsync()).Entries[RootCxVaultHealthChecksBuilderExtensions.DefaultName];

    private static ServiceProvider BuildVault(string masterKey, ISecretStore store)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddHealthChecks().AddRootCxVault();
        services.AddRootCxVault(o =>
        {
            o.MasterKey = masterKey;
            o.ReadMasterKeyFromEnvironment = false;
        }).UseStore(_ => store);
        return services.BuildServiceProvider();
    }

    /// <summary>A store that fails as an unreachable database does while <see cref="Down"/> is set.</summary>
    private sealed class SwitchableStore(ISecretStore inner) : DelegatingSecretStore(inner)
    {
        public bool Down { get; set; }

        protected override ISecretStore Inner => Down ? throw new SecretStoreException("The test store is down.") : base.Inner;
    }
}
