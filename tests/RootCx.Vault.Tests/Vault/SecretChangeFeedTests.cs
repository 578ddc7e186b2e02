using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Primitives;
using Microsoft.Extensions.Time.Testing;
using RootCx.Vault.Storage;
using RootCx.Vault.Changes;
using RootCx.Vault.Testing;

namespace RootCx.Vault.Tests.Vault;

public class SecretChangeFeedTests : VaultTests
{
    private static readonly SecretScope Shop = SecretScope.ForApp("shop");
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    [Test]
    public async Task A_set_fires_its_scope_after_the_coalescing_delay_and_no_other_scope()
    {
        var shop = new Fires(Harness.Changes, Shop);
        var platform = new Fires(Harness.Changes, SecretScope.Platform);
        var other = new Fires(Harness.Changes, SecretScope.ForApp("other"));

        await Harness.Vault.SetAsync(Shop, "API_KEY", "v");
        Assert.That(shop.Count, Is.Zero, "nothing fires before the coalescing delay");
        Harness.Clock.Advance(TimeSpan.FromMilliseconds(250));

        await shop.WaitForAsync(1);
        await CheckAsync();
        Assert.That((platform.Count, other.Count), Is.EqualTo((0, 0)));
    }

    [Test]
    public async Task A_burst_of_writes_fires_once()
    {
        var shop = new Fires(Harness.Changes, Shop);

        for (int i = 0; i < 5; i++)
        {
            await Harness.Vault.SetAsync(Shop, $"KEY_{i}", "v");
        }

        await Harness.Vault.DeleteAsync(Shop, "KEY_0");
        Harness.Clock.Advance(TimeSpan.FromMilliseconds(250));
        await shop.WaitForAsync(1);
        await CheckAsync();

        Assert.That(shop.Count, Is.EqualTo(1));
    }

    [Test]
    public async Task Deletes_fire_and_a_delete_of_nothing_does_not()
    {
        await Harness.Vault.SetAsync(SecretScope.Platform, "TOKEN", "v");
        var platform = new Fires(Harness.Changes, SecretScope.Platform);

        await Harness.Vault.DeleteAsync(SecretScope.Platform, "MISSING");
        await CheckAsync();
        Assert.That(platform.Count, Is.Zero);

        await Harness.Vault.DeleteAsync(SecretScope.Platform, "TOKEN");
        Harness.Clock.Advance(TimeSpan.FromMilliseconds(250));
        await platform.WaitForAsync(1);
    }

    [Test]
    public async Task A_write_by_another_process_is_seen_at_the_next_poll()
    {
        var platform = new Fires(Harness.Changes, SecretScope.Platform);

        // Straight to the store, as another process sharing it would (its vault set the store up): this process's
        // vault is not told.
        await TestKeys.RecordInAsync(Harness.Store);
        await Harness.Store.SetAsync(SecretScope.Platform, SecretName.Parse("TOKEN"), TestKeys.FakeEnvelope(TestKeys.IdOf(TestKeys.Primary)), TestKeys.IdOf(TestKeys.Primary), DateTimeOffset.UtcNow, SecretPrecondition.None, RootCxVaultOptions.DefaultMaxVersions);
        Harness.Clock.Advance(TimeSpan.FromSeconds(1));
        await CheckQuietlyAsync();
        Assert.That(platform.Count, Is.Zero, "not before the poll interval");

        Harness.Clock.Advance(TimeSpan.FromSeconds(1));
        await platform.WaitForAsync(1);
    }

    [Test]
    public async Task A_watcher_that_stopped_watching_is_not_called_and_the_others_of_its_scope_still_fire()
    {
        var stays = new Fires(Harness.Changes, Shop);
        int left = 0;
        IDisposable leaving = ChangeToken.OnChange(() => Harness.Changes.GetChangeToken(Shop), () => Interlocked.Increment(ref left));
        leaving.Dispose();

        await Harness.Vault.SetAsync(Shop, "API_KEY", "v");
        Harness.Clock.Advance(TimeSpan.FromMilliseconds(250));

        await stays.WaitForAsync(1);
        Assert.That(Volatile.Read(ref left), Is.Zero);
    }

    [Test]
    public async Task A_callback_that_throws_is_logged_and_every_other_scope_still_fires()
    {
        SecretScope[] scopes = [.. Enumerable.Range(0, 10).Select(i => SecretScope.ForApp($"app-{i}"))];
        Fires[] fires = [.. scopes.Select(scope => new Fires(Harness.Changes, scope))];
        foreach (SecretScope scope in scopes)
        {
            Harness.Changes.GetChangeToken(scope).RegisterChangeCallback(_ => throw new InvalidOperationException("a consumer's bug"), null);
            await Harness.Vault.SetAsync(scope, "API_KEY", "v");
        }

        await CheckAsync();

        Assert.That(fires.Select(f => f.Count), Has.All.EqualTo(1), "every scope fired once");
        Assert.That(Harness.Logs.GetSnapshot().Count(r => r.Id.Id == 15 && r.Level == Microsoft.Extensions.Logging.LogLevel.Error), Is.EqualTo(scopes.Length));
    }

    [Test]
    public async Task A_store_that_fails_while_polling_is_logged_and_the_change_fires_once_it_is_back()
    {
        var inner = new InMemorySecretStore();
        var store = new OutageStore(inner);
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero));
        var services = new ServiceCollection();
        services.AddFakeLogging(o => o.OutputSink = null);
        services.AddSingleton<TimeProvider>(clock);
        services.AddRootCxVault(o =>
        {
            o.MasterKey = TestKeys.Primary;
            o.ReadMasterKeyFromEnvironment = false;
        });
        services.AddSingleton<ISecretStore>(store);
        await using ServiceProvider provider = services.BuildServiceProvider();
        await provider.GetRequiredService<ISecretVault>().ListAsync(SecretScope.Platform);
        var platform = new Fires(provider.GetRequiredService<ISecretChangeFeed>(), SecretScope.Platform);

        store.Down = true;
        await inner.SetAsync(SecretScope.Platform, SecretName.Parse("TOKEN"), TestKeys.FakeEnvelope(TestKeys.IdOf(TestKeys.Primary)), TestKeys.IdOf(TestKeys.Primary), DateTimeOffset.UtcNow, SecretPrecondition.None, RootCxVaultOptions.DefaultMaxVersions);
        clock.Advance(TimeSpan.FromSeconds(2));
        FakeLogCollector logs = provider.GetFakeLogCollector();
        using (var patience = new CancellationTokenSource(Patience))
        {
            while (!logs.GetSnapshot().Any(r => r.Id.Id == 13))
            {
                await Task.Delay(10, patience.Token);
            }
        }

        Assert.That(platform.Count, Is.Zero);
        store.Down = false;
        clock.Advance(TimeSpan.FromSeconds(2));
        await platform.WaitForAsync(1);
    }

    [Test]
    public async Task A_change_made_elsewhere_right_after_the_first_watch_is_reported_when_the_store_answers_slowly()
    {
        var inner = new InMemorySecretStore();
        HostApplicationBuilder builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddRootCxVault(o =>
        {
            o.MasterKey = TestKeys.Primary;
            o.ReadMasterKeyFromEnvironment = false;
            o.ChangePollInterval = TimeSpan.FromMilliseconds(100);
        });
        builder.Services.AddSingleton<ISecretStore>(new SlowChangeVersionStore(inner));
        using IHost host = builder.Build();
        await host.StartAsync();

        var platform = new Fires(host.Services.GetRequiredService<ISecretChangeFeed>(), SecretScope.Platform);
        await inner.SetAsync(SecretScope.Platform, SecretName.Parse("TOKEN"), TestKeys.FakeEnvelope(TestKeys.IdOf(TestKeys.Primary)), TestKeys.IdOf(TestKeys.Primary), DateTimeOffset.UtcNow, SecretPrecondition.None, RootCxVaultOptions.DefaultMaxVersions);

        await platform.WaitForAsync(1);
        await host.StopAsync();
    }

    [Test]
    public void A_signal_fired_after_it_was_disposed_does_nothing()
    {
        var signal = new ChangeSignal();
        signal.Dispose();

        Assert.DoesNotThrow(signal.Fire, "a watcher's last event may arrive after its store was disposed");
    }

    private async Task CheckAsync() =>
        await Harness.Services.GetRequiredService<SecretChangeFeed>().CheckAsync(CancellationToken.None);

    // Lets a pending timer callback finish without running a check of our own.
    private static Task CheckQuietlyAsync() => Task.Delay(100);

    /// <summary>Counts how often a scope's tokens fire, re-subscribing each time as consumers do.</summary>
    private sealed class Fires
    {
        private int _count;

        public Fires(ISecretChangeFeed feed, SecretScope scope) =>
            ChangeToken.OnChange(() => feed.GetChangeToken(scope), () => Interlocked.Increment(ref _count));

        public int Count => Volatile.Read(ref _count);

        public async Task WaitForAsync(int count)
        {
            using var timeout = new CancellationTokenSource(Patience);
            while (Count < count)
            {
                await Task.Delay(10, timeout.Token);
            }
        }
    }

    /// <summary>A store whose change version takes a database round trip to read, as the SQL stores' does.</summary>
    private sealed class SlowChangeVersionStore(ISecretStore inner) : DelegatingSecretStore(inner)
    {
        public override async ValueTask<long> GetChangeVersionAsync(CancellationToken cancellationToken = default)
        {
            await Task.Delay(50, cancellationToken);
            return await base.GetChangeVersionAsync(cancellationToken);
        }
    }
}
