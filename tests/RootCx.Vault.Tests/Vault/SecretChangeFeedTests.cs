using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Primitives;
using RootCx.Vault.Testing;

namespace RootCx.Vault.Tests.Vault;

public class SecretChangeFeedTests
{
    private static readonly SecretScope Shop = SecretScope.ForApp("shop");
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private VaultHarness _vault = null!;

    [SetUp]
    public void CreateVault() => _vault = new VaultHarness();

    [TearDown]
    public async Task DisposeVault() => await _vault.DisposeAsync();

    [Test]
    public async Task A_set_fires_its_scope_after_the_coalescing_delay_and_no_other_scope()
    {
        var shop = new Fires(_vault.Changes, Shop);
        var platform = new Fires(_vault.Changes, SecretScope.Platform);
        var other = new Fires(_vault.Changes, SecretScope.ForApp("other"));

        await _vault.Vault.SetAsync(Shop, "API_KEY", "v");
        Assert.That(shop.Count, Is.Zero, "nothing fires before the coalescing delay");
        _vault.Clock.Advance(TimeSpan.FromMilliseconds(250));

        await shop.WaitForAsync(1);
        await CheckAsync();
        Assert.That((platform.Count, other.Count), Is.EqualTo((0, 0)));
    }

    [Test]
    public async Task A_burst_of_writes_fires_once()
    {
        var shop = new Fires(_vault.Changes, Shop);

        for (int i = 0; i < 5; i++)
        {
            await _vault.Vault.SetAsync(Shop, $"KEY_{i}", "v");
        }

        await _vault.Vault.DeleteAsync(Shop, "KEY_0");
        _vault.Clock.Advance(TimeSpan.FromMilliseconds(250));
        await shop.WaitForAsync(1);
        await CheckAsync();

        Assert.That(shop.Count, Is.EqualTo(1));
    }

    [Test]
    public async Task Deletes_fire_and_a_delete_of_nothing_does_not()
    {
        await _vault.Vault.SetAsync(SecretScope.Platform, "TOKEN", "v");
        var platform = new Fires(_vault.Changes, SecretScope.Platform);

        await _vault.Vault.DeleteAsync(SecretScope.Platform, "MISSING");
        await CheckAsync();
        Assert.That(platform.Count, Is.Zero);

        await _vault.Vault.DeleteAsync(SecretScope.Platform, "TOKEN");
        _vault.Clock.Advance(TimeSpan.FromMilliseconds(250));
        await platform.WaitForAsync(1);
    }

    [Test]
    public async Task A_write_by_another_process_is_seen_at_the_next_poll()
    {
        var platform = new Fires(_vault.Changes, SecretScope.Platform);

        // Straight to the store, as another process sharing it would: this process's vault is not told.
        await _vault.Store.SetAsync(SecretScope.Platform, SecretName.Parse("TOKEN"), TestKeys.FakeEnvelope(TestKeys.IdOf(TestKeys.Primary)), DateTimeOffset.UtcNow);
        _vault.Clock.Advance(TimeSpan.FromSeconds(1));
        await CheckQuietlyAsync();
        Assert.That(platform.Count, Is.Zero, "not before the poll interval");

        _vault.Clock.Advance(TimeSpan.FromSeconds(1));
        await platform.WaitForAsync(1);
    }

    private async Task CheckAsync() =>
        await _vault.Services.GetRequiredService<SecretChangeFeed>().CheckAsync(CancellationToken.None);

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
}
