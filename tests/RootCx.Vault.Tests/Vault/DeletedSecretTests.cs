using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using RootCx.Vault.Storage;
using RootCx.Vault.Testing;

namespace RootCx.Vault.Tests.Vault;

/// <summary>Soft delete through the vault: the runtime never sees a deleted secret; recover, purge and retention.</summary>
public class DeletedSecretTests : VaultTests
{
    private const string Value = "sk_live_deleted_value_71e2";
    private static readonly SecretScope Shop = SecretScope.ForApp("shop");

    [Test]
    public async Task A_deleted_secret_is_listed_as_deleted_and_hidden_from_the_runtime_and_injection()
    {
        await Harness.Vault.SetAsync(Shop, "STRIPE_KEY", Value);
        await Harness.Vault.SetAsync(Shop, "KEEP", "kept");
        DateTimeOffset deletedAt = Harness.Clock.GetUtcNow();

        Assert.That(await Harness.Vault.DeleteAsync(Shop, "stripe_key"), Is.True);

        IReadOnlyList<DeletedSecretMetadata> deleted = await Harness.Vault.ListDeletedAsync(Shop);
        using SecretBundle all = await Harness.Reader.GetAllAsync(Shop);
        using SecretEnvironment environment = await Harness.Injector.BuildEnvironmentAsync("shop");
        Assert.Multiple(async () =>
        {
            Assert.That(deleted.Select(d => (d.Name, d.Version, d.DeletedAt, d.PurgeAfter)), Is.EqualTo(new[] { ("STRIPE_KEY", 1L, deletedAt, deletedAt.AddDays(7)) }));
            Assert.That((await Harness.Vault.ListAsync(Shop)).Select(s => s.Name), Is.EqualTo(new[] { "KEEP" }));
            Assert.That(await Harness.Reader.GetAsync(Shop, "STRIPE_KEY"), Is.Null);
            Assert.That(all.Select(v => v.Name), Is.EqualTo(new[] { "KEEP" }));
            Assert.That(environment.Names, Does.Not.Contain("STRIPE_KEY"));
            Assert.That(await Harness.Vault.ListVersionsAsync(Shop, "STRIPE_KEY"), Is.Empty, "history is listed for live secrets");
            Assert.That(string.Join(' ', deleted) + Harness.AllLogText, Does.Not.Contain(Value));
        });
    }

    [Test]
    public async Task Recover_brings_a_deleted_secret_back_to_the_runtime_with_its_version_and_history()
    {
        await Harness.Vault.SetAsync(Shop, "STRIPE_KEY", "older");
        await Harness.Vault.SetAsync(Shop, "STRIPE_KEY", Value);
        await Harness.Vault.DeleteAsync(Shop, "STRIPE_KEY");
        Harness.Audit.Clear();

        SecretMetadata? recovered = await Harness.Vault.RecoverAsync(Shop, "Stripe_Key");

        using SecretValue? read = await Harness.Reader.GetAsync(Shop, "STRIPE_KEY");
        Assert.Multiple(async () =>
        {
            Assert.That(recovered?.Version, Is.EqualTo(2));
            Assert.That(read!.RevealString(), Is.EqualTo(Value));
            Assert.That((await Harness.Vault.ListVersionsAsync(Shop, "STRIPE_KEY")).Select(v => v.Version), Is.EqualTo(new long[] { 2, 1 }));
            Assert.That(await Harness.Vault.ListDeletedAsync(Shop), Is.Empty);
            Assert.That(await Harness.Vault.RecoverAsync(Shop, "STRIPE_KEY"), Is.Null, "nothing deleted is left to recover");
            Assert.That(Harness.Audit.Events.Select(e => (e.Action, e.Version)), Does.Contain((SecretAuditAction.Recover, (long?)2)));
        });
    }

    [Test]
    public async Task Purge_destroys_a_deleted_secret_for_good_and_a_new_one_continues_its_versions()
    {
        await Harness.Vault.SetAsync(Shop, "STRIPE_KEY", Value);
        await Harness.Vault.DeleteAsync(Shop, "STRIPE_KEY");

        Assert.That(await Harness.Vault.PurgeAsync(Shop, "STRIPE_KEY"), Is.True);

        Assert.Multiple(async () =>
        {
            Assert.That(await Harness.Vault.ListDeletedAsync(Shop), Is.Empty);
            Assert.That(await Harness.Vault.RecoverAsync(Shop, "STRIPE_KEY"), Is.Null);
            Assert.That(await Harness.Vault.PurgeAsync(Shop, "STRIPE_KEY"), Is.False);
            Assert.That(Harness.Store.RawEnvelopes, Is.Empty, "nothing of it is held");
            Assert.That(Harness.Audit.Events.Select(e => (e.Action, e.Version, e.Outcome)), Does.Contain((SecretAuditAction.Purge, (long?)1, SecretAuditOutcome.Succeeded)));
            Assert.That((await Harness.Vault.SetAsync(Shop, "STRIPE_KEY", Value)).Version, Is.EqualTo(2));
        });
    }

    [Test]
    public async Task A_live_secret_is_not_purged()
    {
        await Harness.Vault.SetAsync(Shop, "STRIPE_KEY", Value);

        Assert.That(await Harness.Vault.PurgeAsync(Shop, "STRIPE_KEY"), Is.False);
        using SecretValue? read = await Harness.Reader.GetAsync(Shop, "STRIPE_KEY");
        Assert.That(read!.RevealString(), Is.EqualTo(Value));
    }

    [Test]
    public async Task Purge_expired_takes_what_outlived_the_retention_and_nothing_younger()
    {
        await Harness.Vault.SetAsync(Shop, "OLD", Value);
        await Harness.Vault.SetAsync(SecretScope.Platform, "OLD", Value);
        await Harness.Vault.DeleteAsync(Shop, "OLD");
        await Harness.Vault.DeleteAsync(SecretScope.Platform, "OLD");
        Harness.Clock.Advance(TimeSpan.FromDays(1));
        await Harness.Vault.SetAsync(Shop, "YOUNG", Value);
        await Harness.Vault.DeleteAsync(Shop, "YOUNG");

        Harness.Clock.Advance(TimeSpan.FromDays(6) - TimeSpan.FromSeconds(1));
        Assert.That(await Harness.Vault.PurgeExpiredAsync(), Is.Zero, "a second before the retention ends");
        Harness.Clock.Advance(TimeSpan.FromSeconds(2));
        Assert.That(await Harness.Vault.PurgeExpiredAsync(), Is.EqualTo(2));

        Assert.Multiple(async () =>
        {
            Assert.That((await Harness.Vault.ListDeletedAsync(Shop)).Select(d => d.Name), Is.EqualTo(new[] { "YOUNG" }));
            Assert.That(await Harness.Vault.ListDeletedAsync(SecretScope.Platform), Is.Empty);
            Assert.That(Harness.Audit.Events.Count(e => e.Action == SecretAuditAction.Purge), Is.EqualTo(2), "each purge is on the record");
        });
    }

    [Test]
    public async Task No_retention_purges_on_delete()
    {
        await using var vault = new VaultHarness(o => o.DeletedRetention = TimeSpan.Zero);
        await vault.Vault.SetAsync(Shop, "STRIPE_KEY", "older");
        await vault.Vault.SetAsync(Shop, "STRIPE_KEY", Value);

        Assert.That(await vault.Vault.DeleteAsync(Shop, "STRIPE_KEY"), Is.True);

        Assert.Multiple(async () =>
        {
            Assert.That(await vault.Vault.ListDeletedAsync(Shop), Is.Empty);
            Assert.That(vault.Store.RawEnvelopes, Is.Empty, "value and history are gone at once");
            Assert.That(vault.Audit.Events.Select(e => e.Action).TakeLast(2), Is.EqualTo(new[] { SecretAuditAction.Delete, SecretAuditAction.Purge }));
        });
    }

    [Test]
    public async Task A_delete_without_retention_stands_when_its_purge_fails()
    {
        var store = new PurgeRefusingStore(new InMemorySecretStore());
        await using var vault = new VaultHarness(o => o.DeletedRetention = TimeSpan.Zero, s => s.Replace(ServiceDescriptor.Singleton<ISecretStore>(store)));
        await vault.Vault.SetAsync(Shop, "STRIPE_KEY", Value);

        Assert.That(await vault.Vault.DeleteAsync(Shop, "STRIPE_KEY"), Is.True, "the delete happened; failing it would invite a retry");

        Assert.Multiple(async () =>
        {
            Assert.That(await vault.Vault.ListAsync(Shop), Is.Empty);
            Assert.That(await vault.Vault.ListDeletedAsync(Shop), Has.Count.EqualTo(1), "left for the purge service");
            Assert.That(vault.Logs.GetSnapshot().Select(r => r.Id.Id), Does.Contain(18));
        });
    }

    [Test]
    public async Task The_hosted_purger_purges_when_the_retention_ends()
    {
        await using var vault = new VaultHarness(o => (o.DeletedRetention, o.DeletedPurgeInterval) = (TimeSpan.FromHours(2), TimeSpan.FromHours(1)));
        IHostedService[] hosted = [.. vault.Services.GetServices<IHostedService>()];
        foreach (IHostedService service in hosted)
        {
            await service.StartAsync(CancellationToken.None);
        }

        try
        {
            await vault.Vault.SetAsync(Shop, "STRIPE_KEY", Value);
            await vault.Vault.DeleteAsync(Shop, "STRIPE_KEY");
            vault.Clock.Advance(TimeSpan.FromHours(1));
            await Task.Delay(200);
            Assert.That(await vault.Vault.ListDeletedAsync(Shop), Has.Count.EqualTo(1), "an hour in, it is still recoverable");

            vault.Clock.Advance(TimeSpan.FromHours(2));
            Assert.That(await WaitUntilAsync(async () => (await vault.Vault.ListDeletedAsync(Shop)).Count == 0), Is.True, "purged at the first tick after the retention");
        }
        finally
        {
            foreach (IHostedService service in hosted)
            {
                await service.StopAsync(CancellationToken.None);
            }
        }
    }

    [TestCase("DeletedRetention", -1)]
    [TestCase("DeletedRetention", 3651 * 24)]
    [TestCase("DeletedPurgeInterval", 0)]
    [TestCase("DeletedPurgeInterval", 8 * 24)]
    public void A_retention_or_interval_out_of_range_is_refused_at_start(string setting, int hours)
    {
        var error = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(() =>
            _ = new VaultHarness(o =>
            {
                if (setting == "DeletedRetention")
                {
                    o.DeletedRetention = TimeSpan.FromHours(hours);
                }
                else
                {
                    o.DeletedPurgeInterval = TimeSpan.FromHours(hours);
                }
            }));
        Assert.That(error!.Message, Does.Contain(setting));
    }

    private static async Task<bool> WaitUntilAsync(Func<Task<bool>> condition)
    {
        for (int attempt = 0; attempt < 100; attempt++)
        {
            if (await condition())
            {
                return true;
            }

            await Task.Delay(50);
        }

        return false;
    }

    private sealed class PurgeRefusingStore(ISecretStore inner) : DelegatingSecretStore(inner)
    {
        public override ValueTask<DeletedSecret?> PurgeAsync(SecretScope scope, SecretName name, CancellationToken cancellationToken = default) =>
            throw new TimeoutException("The store did not answer.");
    }
}
