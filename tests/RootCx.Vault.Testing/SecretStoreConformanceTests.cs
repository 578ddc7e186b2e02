using System.Text;
using Microsoft.Extensions.DependencyInjection;
using NUnit.Framework;
using RootCx.Vault.Cryptography;
using RootCx.Vault.Storage;

namespace RootCx.Vault.Testing;

/// <summary>
/// The behaviour every <see cref="ISecretStore"/> must show. Each store derives one small sealed fixture from it;
/// a store is done when this suite passes against it with real storage.
/// </summary>
public abstract class SecretStoreConformanceTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 2, 3, 4, 5, 678, TimeSpan.Zero);
    private static readonly MasterKeyId KeyA = TestKeys.IdOf(TestKeys.Primary);
    private static readonly MasterKeyId KeyB = TestKeys.IdOf(TestKeys.Secondary);

    protected static SecretScope App { get; } = SecretScope.ForApp("shop");

    protected ISecretStore Store { get; private set; } = null!;

    /// <summary>Creates an empty store on real storage, unique to the current test.</summary>
    protected abstract ValueTask<ISecretStore> CreateStoreAsync();

    /// <summary>Returns every byte the store has written to its storage, to scan for plaintext.</summary>
    protected abstract ValueTask<IReadOnlyList<byte[]>> ReadRawStorageAsync();

    /// <summary>Releases what <see cref="CreateStoreAsync"/> made.</summary>
    protected virtual ValueTask DeleteStoreAsync() => ValueTask.CompletedTask;

    [SetUp]
    public async Task CreateStore() => Store = await CreateStoreAsync();

    [TearDown]
    public async Task DeleteStore()
    {
        (Store as IDisposable)?.Dispose();
        if (Store is IAsyncDisposable asyncDisposable)
        {
            await asyncDisposable.DisposeAsync();
        }

        await DeleteStoreAsync();
    }

    [Test]
    public async Task Get_of_a_missing_secret_is_null() =>
        Assert.That(await Store.GetAsync(App, Name("MISSING")), Is.Null);

    [Test]
    public async Task Set_then_get_round_trips_envelope_and_metadata()
    {
        byte[] envelope = TestKeys.FakeEnvelope(KeyA);
        StoredSecret written = await Store.SetAsync(App, Name("API_KEY"), envelope, T0);
        StoredSecret? read = await Store.GetAsync(App, Name("API_KEY"));

        foreach (StoredSecret secret in new[] { written, read! })
        {
            Assert.Multiple(() =>
            {
                Assert.That(secret.Envelope.ToArray(), Is.EqualTo(envelope));
                Assert.That(secret.Scope, Is.EqualTo(App));
                Assert.That(secret.Name.Value, Is.EqualTo("API_KEY"));
                Assert.That(secret.Version, Is.EqualTo(1));
                Assert.That(secret.CreatedAt, Is.EqualTo(T0));
                Assert.That(secret.UpdatedAt, Is.EqualTo(T0));
                Assert.That(secret.KeyId, Is.EqualTo(KeyA));
            });
        }
    }

    [Test]
    public async Task Overwrite_replaces_the_envelope_keeps_created_and_bumps_version()
    {
        await Store.SetAsync(App, Name("API_KEY"), TestKeys.FakeEnvelope(KeyA), T0);
        byte[] second = TestKeys.FakeEnvelope(KeyB, 40);
        StoredSecret written = await Store.SetAsync(App, Name("API_KEY"), second, T0.AddMinutes(5));
        StoredSecret? read = await Store.GetAsync(App, Name("API_KEY"));

        Assert.Multiple(() =>
        {
            Assert.That(written.Version, Is.EqualTo(2));
            Assert.That(read!.Version, Is.EqualTo(2));
            Assert.That(read.Envelope.ToArray(), Is.EqualTo(second));
            Assert.That(read.CreatedAt, Is.EqualTo(T0));
            Assert.That(read.UpdatedAt, Is.EqualTo(T0.AddMinutes(5)));
        });
    }

    [Test]
    public async Task Names_are_unique_ignoring_case_and_keep_the_latest_spelling()
    {
        await Store.SetAsync(App, Name("Stripe_Key"), TestKeys.FakeEnvelope(KeyA), T0);
        await Store.SetAsync(App, Name("STRIPE_KEY"), TestKeys.FakeEnvelope(KeyA), T0);

        StoredSecret[] listed = await ListAsync(App);
        StoredSecret? read = await Store.GetAsync(App, Name("stripe_key"));
        Assert.Multiple(() =>
        {
            Assert.That(listed, Has.Length.EqualTo(1));
            Assert.That(listed[0].Name.Value, Is.EqualTo("STRIPE_KEY"));
            Assert.That(listed[0].Version, Is.EqualTo(2));
            Assert.That(read?.Name.Value, Is.EqualTo("STRIPE_KEY"));
        });
    }

    [Test]
    public async Task Delete_removes_an_existing_secret_ignoring_case()
    {
        await Store.SetAsync(App, Name("API_KEY"), TestKeys.FakeEnvelope(KeyA), T0);

        Assert.That(await Store.DeleteAsync(App, Name("api_key")), Is.True);
        Assert.That(await Store.GetAsync(App, Name("API_KEY")), Is.Null);
        Assert.That(await ListAsync(App), Is.Empty);
    }

    [Test]
    public async Task Delete_of_a_missing_secret_returns_false_and_changes_nothing()
    {
        await Store.SetAsync(App, Name("KEEP"), TestKeys.FakeEnvelope(KeyA), T0);
        long before = await Store.GetChangeVersionAsync();

        Assert.That(await Store.DeleteAsync(App, Name("MISSING")), Is.False);
        Assert.That(await Store.GetChangeVersionAsync(), Is.EqualTo(before));
        Assert.That(await ListAsync(App), Has.Length.EqualTo(1));
    }

    [Test]
    public async Task A_secret_can_be_recreated_after_delete_starting_again_at_version_1()
    {
        await Store.SetAsync(App, Name("API_KEY"), TestKeys.FakeEnvelope(KeyA), T0);
        await Store.SetAsync(App, Name("API_KEY"), TestKeys.FakeEnvelope(KeyA), T0);
        await Store.DeleteAsync(App, Name("API_KEY"));
        StoredSecret again = await Store.SetAsync(App, Name("API_KEY"), TestKeys.FakeEnvelope(KeyA), T0.AddDays(1));

        Assert.That(again.Version, Is.EqualTo(1));
        Assert.That(again.CreatedAt, Is.EqualTo(T0.AddDays(1)));
    }

    [Test]
    public async Task List_returns_every_secret_of_the_scope()
    {
        string[] names = [.. Enumerable.Range(0, 25).Select(i => $"SECRET_{i}")];
        foreach (string name in names)
        {
            await Store.SetAsync(App, Name(name), TestKeys.FakeEnvelope(KeyA), T0);
        }

        Assert.That((await ListAsync(App)).Select(s => s.Name.Value), Is.EquivalentTo(names));
        Assert.That(await ListAsync(SecretScope.ForApp("empty-app")), Is.Empty);
    }

    [Test]
    public async Task Scopes_are_isolated()
    {
        SecretScope other = SecretScope.ForApp("other");
        byte[] inApp = TestKeys.FakeEnvelope(KeyA);
        byte[] inOther = TestKeys.FakeEnvelope(KeyA);
        byte[] inPlatform = TestKeys.FakeEnvelope(KeyA);
        await Store.SetAsync(App, Name("TOKEN"), inApp, T0);
        await Store.SetAsync(other, Name("TOKEN"), inOther, T0);
        await Store.SetAsync(SecretScope.Platform, Name("TOKEN"), inPlatform, T0);

        await Store.DeleteAsync(other, Name("TOKEN"));

        Assert.Multiple(async () =>
        {
            Assert.That((await Store.GetAsync(App, Name("TOKEN")))!.Envelope.ToArray(), Is.EqualTo(inApp));
            Assert.That(await Store.GetAsync(other, Name("TOKEN")), Is.Null);
            Assert.That((await Store.GetAsync(SecretScope.Platform, Name("TOKEN")))!.Envelope.ToArray(), Is.EqualTo(inPlatform));
            Assert.That((await ListAsync(SecretScope.Platform)).Single().Scope, Is.EqualTo(SecretScope.Platform));
        });
    }

    [Test]
    public async Task Parallel_writers_to_the_same_name_lose_no_update()
    {
        const int Writers = 16;
        byte[][] envelopes = [.. Enumerable.Range(0, Writers).Select(_ => TestKeys.FakeEnvelope(KeyA))];

        await Task.WhenAll(envelopes.Select(e => Task.Run(async () => await Store.SetAsync(App, Name("CONTESTED"), e, T0))));

        StoredSecret? final = await Store.GetAsync(App, Name("CONTESTED"));
        Assert.That(final!.Version, Is.EqualTo(Writers));
        Assert.That(envelopes.Any(e => e.AsSpan().SequenceEqual(final.Envelope.Span)), Is.True, "the final envelope is one that was written whole");
    }

    [Test]
    public async Task Parallel_writers_to_different_names_all_land()
    {
        const int Writers = 32;
        await Task.WhenAll(Enumerable.Range(0, Writers).Select(i =>
            Task.Run(async () => await Store.SetAsync(App, Name($"NAME_{i}"), TestKeys.FakeEnvelope(KeyA), T0))));

        Assert.That(await ListAsync(App), Has.Length.EqualTo(Writers));
    }

    [Test]
    public async Task A_canceled_operation_throws_and_writes_nothing()
    {
        using var canceled = new CancellationTokenSource();
        await canceled.CancelAsync();
        await Store.SetAsync(App, Name("KEEP"), TestKeys.FakeEnvelope(KeyA), T0);
        long before = await Store.GetChangeVersionAsync();

        Assert.Multiple(() =>
        {
            Assert.ThrowsAsync(Is.InstanceOf<OperationCanceledException>(), async () => await Store.SetAsync(App, Name("NEW"), TestKeys.FakeEnvelope(KeyA), T0, canceled.Token));
            Assert.ThrowsAsync(Is.InstanceOf<OperationCanceledException>(), async () => await Store.DeleteAsync(App, Name("KEEP"), canceled.Token));
            Assert.ThrowsAsync(Is.InstanceOf<OperationCanceledException>(), async () => await Store.GetAsync(App, Name("KEEP"), canceled.Token));
            Assert.ThrowsAsync(Is.InstanceOf<OperationCanceledException>(), async () => await Store.ListAsync(App, canceled.Token).ToArrayAsync());
            Assert.ThrowsAsync(Is.InstanceOf<OperationCanceledException>(), async () => await Store.GetChangeVersionAsync(canceled.Token));
            Assert.ThrowsAsync(Is.InstanceOf<OperationCanceledException>(), async () => await Store.GetKeyIdsInUseAsync(canceled.Token));
        });
        Assert.That(await Store.GetChangeVersionAsync(), Is.EqualTo(before));
        Assert.That((await ListAsync(App)).Select(s => s.Name.Value), Is.EqualTo(new[] { "KEEP" }));
    }

    [Test]
    public async Task Change_version_moves_on_every_set_and_delete_and_only_then()
    {
        var seen = new List<long> { await Store.GetChangeVersionAsync() };
        await Store.SetAsync(App, Name("A"), TestKeys.FakeEnvelope(KeyA), T0);
        seen.Add(await Store.GetChangeVersionAsync());
        await Store.SetAsync(App, Name("A"), TestKeys.FakeEnvelope(KeyA), T0);
        seen.Add(await Store.GetChangeVersionAsync());
        await Store.SetAsync(SecretScope.Platform, Name("B"), TestKeys.FakeEnvelope(KeyA), T0);
        seen.Add(await Store.GetChangeVersionAsync());
        await Store.DeleteAsync(App, Name("A"));
        seen.Add(await Store.GetChangeVersionAsync());

        await Store.GetAsync(SecretScope.Platform, Name("B"));
        await ListAsync(SecretScope.Platform);
        await Store.GetKeyIdsInUseAsync();

        Assert.That(seen, Is.Ordered.Ascending.And.Unique);
        Assert.That(await Store.GetChangeVersionAsync(), Is.EqualTo(seen[^1]));
    }

    [Test]
    public async Task Key_ids_in_use_follow_the_envelopes_held()
    {
        Assert.That(await Store.GetKeyIdsInUseAsync(), Is.Empty);

        await Store.SetAsync(App, Name("A"), TestKeys.FakeEnvelope(KeyA), T0);
        await Store.SetAsync(SecretScope.Platform, Name("B"), TestKeys.FakeEnvelope(KeyB), T0);
        Assert.That(await Store.GetKeyIdsInUseAsync(), Is.EquivalentTo(new[] { KeyA, KeyB }));

        await Store.SetAsync(SecretScope.Platform, Name("B"), TestKeys.FakeEnvelope(KeyA), T0);
        Assert.That(await Store.GetKeyIdsInUseAsync(), Is.EquivalentTo(new[] { KeyA }));

        await Store.DeleteAsync(App, Name("A"));
        await Store.DeleteAsync(SecretScope.Platform, Name("B"));
        Assert.That(await Store.GetKeyIdsInUseAsync(), Is.Empty);
    }

    [Test]
    public async Task Replace_envelope_swaps_only_the_expected_version()
    {
        StoredSecret original = await Store.SetAsync(App, Name("API_KEY"), TestKeys.FakeEnvelope(KeyA), T0);
        byte[] resealed = TestKeys.FakeEnvelope(KeyB);
        long before = await Store.GetChangeVersionAsync();

        StoredSecret? replaced = await Store.ReplaceEnvelopeAsync(App, Name("api_key"), original.Version, resealed);

        Assert.Multiple(async () =>
        {
            Assert.That(replaced!.Version, Is.EqualTo(original.Version + 1));
            Assert.That(replaced.Name.Value, Is.EqualTo("API_KEY"));
            StoredSecret? read = await Store.GetAsync(App, Name("API_KEY"));
            Assert.That(read!.Envelope.ToArray(), Is.EqualTo(resealed));
            Assert.That((read.CreatedAt, read.UpdatedAt), Is.EqualTo((T0, T0)), "a re-seal is not a new value");
            Assert.That(await Store.GetChangeVersionAsync(), Is.GreaterThan(before));
            Assert.That(await Store.GetKeyIdsInUseAsync(), Is.EquivalentTo(new[] { KeyB }));
        });
    }

    [Test]
    public async Task Replace_envelope_leaves_a_secret_that_moved_on_or_is_gone()
    {
        StoredSecret original = await Store.SetAsync(App, Name("API_KEY"), TestKeys.FakeEnvelope(KeyA), T0);
        byte[] newer = TestKeys.FakeEnvelope(KeyA);
        await Store.SetAsync(App, Name("API_KEY"), newer, T0);
        long before = await Store.GetChangeVersionAsync();

        Assert.That(await Store.ReplaceEnvelopeAsync(App, Name("API_KEY"), original.Version, TestKeys.FakeEnvelope(KeyB)), Is.Null);
        Assert.That(await Store.ReplaceEnvelopeAsync(App, Name("MISSING"), 1, TestKeys.FakeEnvelope(KeyB)), Is.Null);
        Assert.That((await Store.GetAsync(App, Name("API_KEY")))!.Envelope.ToArray(), Is.EqualTo(newer));
        Assert.That(await Store.GetChangeVersionAsync(), Is.EqualTo(before));
    }

    [Test]
    public async Task List_scopes_returns_the_scopes_that_hold_secrets()
    {
        Assert.That(await Store.ListScopesAsync().ToArrayAsync(), Is.Empty);

        await Store.SetAsync(App, Name("A"), TestKeys.FakeEnvelope(KeyA), T0);
        await Store.SetAsync(SecretScope.Platform, Name("B"), TestKeys.FakeEnvelope(KeyA), T0);
        await Store.SetAsync(SecretScope.ForApp("gone"), Name("C"), TestKeys.FakeEnvelope(KeyA), T0);
        await Store.DeleteAsync(SecretScope.ForApp("gone"), Name("C"));

        Assert.That(await Store.ListScopesAsync().ToArrayAsync(), Is.EquivalentTo(new[] { App, SecretScope.Platform }));
    }

    [Test]
    public async Task The_largest_envelope_round_trips()
    {
        byte[] envelope = TestKeys.FakeEnvelope(KeyA, SecretValueRules.MaxUtf8Bytes);
        await Store.SetAsync(App, Name("BIG"), envelope, T0);

        Assert.That((await Store.GetAsync(App, Name("BIG")))!.Envelope.ToArray(), Is.EqualTo(envelope));
    }

    [Test]
    public async Task The_store_never_holds_the_plaintext()
    {
        const string Value = "sk_live_conformance_plaintext_marker_4f1c";
        var services = new ServiceCollection().AddLogging();
        services.AddRootCxVault(o =>
        {
            o.MasterKey = TestKeys.Primary;
            o.ReadMasterKeyFromEnvironment = false;
        }).UseStore(_ => Store);
        await using ServiceProvider provider = services.BuildServiceProvider();
        var vault = provider.GetRequiredService<ISecretVault>();

        await vault.SetAsync(App, "STRIPE_KEY", Value);
        await vault.SetAsync(SecretScope.Platform, "SLACK_TOKEN", Value);

        byte[] plaintext = Encoding.UTF8.GetBytes(Value);
        IReadOnlyList<byte[]> raw = await ReadRawStorageAsync();
        Assert.That(raw, Is.Not.Empty, "the raw storage scan found nothing to scan");
        Assert.That(raw.Any(bytes => bytes.AsSpan().IndexOf(plaintext) >= 0), Is.False);
    }

    protected static SecretName Name(string name) => SecretName.Parse(name);

    private async Task<StoredSecret[]> ListAsync(SecretScope scope) => await Store.ListAsync(scope).ToArrayAsync();
}
