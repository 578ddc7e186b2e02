using Microsoft.Extensions.Primitives;
using RootCx.Vault.Testing;

namespace RootCx.Vault.Tests.Vault;

public class KeyRotationTests
{
    private static readonly SecretScope Shop = SecretScope.ForApp("shop");

    [Test]
    public async Task Rotation_reseals_everything_under_the_active_key_so_the_old_key_can_go()
    {
        var store = new InMemorySecretStore();
        await using (var old = new VaultHarness(TestKeys.Secondary, store))
        {
            await old.Vault.SetAsync(Shop, "A_KEY", "a-value");
            await old.Vault.SetAsync(Shop, "B_KEY", "b-value");
            await old.Vault.SetAsync(SecretScope.Platform, "TOKEN", "platform-value");
        }

        await using (var rotating = new VaultHarness(TestKeys.Primary, store, null, TestKeys.Secondary))
        {
            int fired = 0;
            using IDisposable watch = ChangeToken.OnChange(() => rotating.Changes.GetChangeToken(SecretScope.Platform), () => Interlocked.Increment(ref fired));
            await rotating.Vault.SetAsync(Shop, "C_KEY", "already-under-the-new-key");

            Assert.That(await rotating.Vault.RotateAsync(), Is.EqualTo(3));
            Assert.That(await rotating.Vault.RotateAsync(), Is.Zero, "nothing is left under the old key");
            rotating.Clock.Advance(TimeSpan.FromMilliseconds(250));
            await WaitForAsync(() => Volatile.Read(ref fired) == 1);
            Assert.That(rotating.AllLogText, Does.Contain("re-sealed 3").And.Not.Contain("a-value"));
        }

        Assert.That(await store.GetKeyIdsAsync(), Is.EquivalentTo(new[] { TestKeys.IdOf(TestKeys.Primary) }), "the old key was retired from the record");
        await using var fresh = new VaultHarness(TestKeys.Primary, store);
        using SecretBundle shop = await fresh.Reader.GetAllAsync(Shop);
        using SecretValue? token = await fresh.Reader.GetAsync(SecretScope.Platform, "TOKEN");
        Assert.That(shop.Select(v => v.RevealString()), Is.EqualTo(new[] { "a-value", "b-value", "already-under-the-new-key" }));
        Assert.That(token!.RevealString(), Is.EqualTo("platform-value"));
    }

    [Test]
    public async Task Rotation_reseals_older_versions_and_deleted_secrets_too_so_the_old_key_can_go()
    {
        var store = new InMemorySecretStore();
        await using (var old = new VaultHarness(TestKeys.Secondary, store))
        {
            await old.Vault.SetAsync(Shop, "A_KEY", "a-first");
            await old.Vault.SetAsync(Shop, "A_KEY", "a-second");
            await old.Vault.SetAsync(Shop, "GONE", "gone-first");
            await old.Vault.SetAsync(Shop, "GONE", "gone-second");
            await old.Vault.DeleteAsync(Shop, "GONE");
        }

        await using var rotating = new VaultHarness(TestKeys.Primary, store, null, TestKeys.Secondary);

        Assert.That(await rotating.Vault.RotateAsync(), Is.EqualTo(4), "two live or deleted envelopes and two older versions");
        Assert.That(await store.GetKeyIdsAsync(), Is.EquivalentTo(new[] { TestKeys.IdOf(TestKeys.Primary) }), "nothing is left under the old key");
        Assert.That(rotating.Audit.Events.Count(e => e.Action == SecretAuditAction.Rotate), Is.EqualTo(4), "one event per envelope re-sealed");

        await using var fresh = new VaultHarness(TestKeys.Primary, store);
        await fresh.Vault.RestoreVersionAsync(Shop, "A_KEY", 1, SecretPrecondition.None);
        await fresh.Vault.RecoverAsync(Shop, "GONE");
        await fresh.Vault.RestoreVersionAsync(Shop, "GONE", 1, SecretPrecondition.None);
        using SecretBundle shop = await fresh.Reader.GetAllAsync(Shop);
        Assert.That(shop.Select(v => (v.Name, v.RevealString())), Is.EquivalentTo(new[] { ("A_KEY", "a-first"), ("GONE", "gone-first") }));
    }

    [Test]
    public async Task Rotation_reports_every_secret_it_examines_also_those_already_under_the_active_key()
    {
        var store = new InMemorySecretStore();
        await using (var old = new VaultHarness(TestKeys.Secondary, store))
        {
            await old.Vault.SetAsync(Shop, "A_KEY", "a-value");
            await old.Vault.SetAsync(SecretScope.Platform, "TOKEN", "platform-value");
        }

        await using var rotating = new VaultHarness(TestKeys.Primary, store, null, TestKeys.Secondary);
        await rotating.Vault.SetAsync(Shop, "C_KEY", "already-under-the-new-key");
        var reported = new List<int>();
        var progress = new Recorder(reported);

        Assert.That(await rotating.Vault.RotateAsync(progress), Is.EqualTo(2));
        Assert.That(reported, Is.EqualTo(new[] { 1, 2, 3 }));

        reported.Clear();
        Assert.That(await rotating.Vault.RotateAsync(progress), Is.Zero, "a second run skips what the first re-sealed");
        Assert.That(reported, Is.EqualTo(new[] { 1, 2, 3 }));
    }

    // Progress<T> reports on the thread pool, later; the test needs every report in order, at once.
    private sealed class Recorder(List<int> reported) : IProgress<int>
    {
        public void Report(int value) => reported.Add(value);
    }

    private static async Task WaitForAsync(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (!condition())
        {
            await Task.Delay(10, timeout.Token);
        }
    }
}
