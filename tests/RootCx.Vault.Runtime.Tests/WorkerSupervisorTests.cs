using Microsoft.Extensions.Primitives;

namespace RootCx.Vault.Runtime.Tests;

/// <summary>The runtime sample end to end: real backend processes, real store, a second process writing.</summary>
public class WorkerSupervisorTests
{
    private const string ShopValue = "sk_live_runtime_shop_value_77a1";
    private static readonly SecretScope Shop = SecretScope.ForApp("shop");
    private static readonly SecretScope Billing = SecretScope.ForApp("billing");

    [Test]
    public async Task Each_backend_starts_with_its_own_app_secrets_and_no_platform_secret()
    {
        await using var runtime = new RuntimeFixture(["shop", "billing"]);
        await runtime.Vault.SetAsync(Shop, "STRIPE_KEY", ShopValue);
        await runtime.Vault.SetAsync(Billing, "BILLING_DB", "billing-db");
        await runtime.Vault.SetAsync(SecretScope.Platform, "SLACK_TOKEN", "platform");

        await runtime.StartAsync();
        string[] shop = await RuntimeFixture.ReceivedNamesAsync(runtime.Supervisor.Backends["shop"]);
        string[] billing = await RuntimeFixture.ReceivedNamesAsync(runtime.Supervisor.Backends["billing"]);

        Assert.Multiple(() =>
        {
            Assert.That(shop, Does.Contain("STRIPE_KEY").And.Contain("ROOTCX_APP_ID").And.Contain("PATH"));
            Assert.That(shop, Does.Not.Contain("BILLING_DB").And.Not.Contain("SLACK_TOKEN"));
            Assert.That(billing, Does.Contain("BILLING_DB").And.Not.Contain("STRIPE_KEY"));
            Assert.That(runtime.Supervisor.Backends["shop"].Output, Has.None.Contains(ShopValue));
            Assert.That(runtime.Supervisor.Backends["shop"].InjectedNames, Is.EqualTo(new[] { "STRIPE_KEY" }));
        });
    }

    [Test]
    public async Task A_platform_change_written_by_another_process_restarts_every_backend_gracefully()
    {
        await using var runtime = new RuntimeFixture(["shop", "billing"]);
        await runtime.StartAsync();
        BackendProcess shopBefore = runtime.Supervisor.Backends["shop"];
        BackendProcess billingBefore = runtime.Supervisor.Backends["billing"];
        await RuntimeFixture.ReceivedNamesAsync(shopBefore);

        await runtime.SetFromAnotherProcessAsync("_platform", "Rotated");

        await RuntimeFixture.EventuallyAsync(() => runtime.Supervisor.RestartsOf("shop") == 1 && runtime.Supervisor.RestartsOf("billing") == 1);
        Assert.Multiple(() =>
        {
            Assert.That(runtime.Supervisor.Backends["shop"].ProcessId, Is.Not.EqualTo(shopBefore.ProcessId));
            Assert.That(runtime.Supervisor.Backends["billing"].ProcessId, Is.Not.EqualTo(billingBefore.ProcessId));
            Assert.That(shopBefore.Stopped, Is.EqualTo(StopOutcome.Graceful));
            Assert.That(shopBefore.Output, Does.Contain("stopping"));
        });
    }

    [Test]
    public async Task An_app_that_cannot_restart_does_not_stop_the_others_from_restarting()
    {
        await using var runtime = new RuntimeFixture(["broken", "billing", "shop"]);
        await runtime.Vault.SetAsync(SecretScope.ForApp("broken"), "API_KEY", "v");
        await runtime.StartAsync();
        BackendProcess billingBefore = runtime.Supervisor.Backends["billing"];
        File.WriteAllText(Path.Combine(runtime.DataPath, "secrets", "scopes", "broken", "API_KEY.secret"), "damaged");

        await runtime.SetFromAnotherProcessAsync("_platform", "Rotated");

        await RuntimeFixture.EventuallyAsync(() => runtime.Supervisor.RestartsOf("billing") == 1 && runtime.Supervisor.RestartsOf("shop") == 1);
        Assert.That(runtime.Supervisor.Backends["billing"].ProcessId, Is.Not.EqualTo(billingBefore.ProcessId));
        Assert.That(runtime.Supervisor.Backends.ContainsKey("broken"), Is.False, "it could not start, and says so in the log");
    }

    [Test]
    public async Task An_app_change_restarts_nothing_until_the_app_is_restarted_by_hand()
    {
        await using var runtime = new RuntimeFixture(["shop", "billing"]);
        await runtime.StartAsync();
        BackendProcess before = runtime.Supervisor.Backends["shop"];
        Assert.That(await RuntimeFixture.ReceivedNamesAsync(before), Does.Not.Contain("NEW_KEY"));

        // Wait until the change feed has seen the app change, then give a platform restart every chance to happen.
        using var seen = new SemaphoreSlim(0);
        using IDisposable watch = ChangeToken.OnChange(() => runtime.Changes.GetChangeToken(Shop), () => seen.Release());
        await runtime.Vault.SetAsync(Shop, "NEW_KEY", ShopValue);
        Assert.That(await seen.WaitAsync(RuntimeFixture.Patience), Is.True);
        await Task.Delay(TimeSpan.FromMilliseconds(600));
        Assert.That(runtime.Supervisor.RestartsOf("shop"), Is.Zero);
        Assert.That(runtime.Supervisor.Backends["shop"].ProcessId, Is.EqualTo(before.ProcessId));

        await runtime.Supervisor.RestartAsync("shop");

        Assert.That(runtime.Supervisor.RestartsOf("shop"), Is.EqualTo(1));
        Assert.That(runtime.Supervisor.RestartsOf("billing"), Is.Zero);
        Assert.That(await RuntimeFixture.ReceivedNamesAsync(runtime.Supervisor.Backends["shop"]), Does.Contain("NEW_KEY"));
    }

    [Test]
    public async Task A_backend_that_ignores_the_stop_request_is_killed_after_the_timeout()
    {
        await using var runtime = new RuntimeFixture(["shop"], stopTimeout: TimeSpan.FromMilliseconds(500));
        await runtime.Vault.SetAsync(Shop, "WORKER_IGNORES_STOP", "1");
        await runtime.StartAsync();
        BackendProcess hung = runtime.Supervisor.Backends["shop"];
        await RuntimeFixture.ReceivedNamesAsync(hung);

        await runtime.Supervisor.RestartAsync("shop");

        Assert.That(hung.Stopped, Is.EqualTo(StopOutcome.Killed));
        Assert.That(await RuntimeFixture.ReceivedNamesAsync(runtime.Supervisor.Backends["shop"]), Does.Contain("WORKER_IGNORES_STOP"));
    }
}
