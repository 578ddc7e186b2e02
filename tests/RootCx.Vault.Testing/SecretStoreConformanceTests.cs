using System.Collections.Concurrent;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Primitives;
using NUnit.Framework;
using RootCx.Vault.Storage;

namespace RootCx.Vault.Testing;

/// <summary>
/// The behaviour every <see cref="ISecretStore"/> must show. Each store derives one small sealed fixture from it;
/// a store is done when this suite passes against it with real storage.
/// </summary>
public abstract partial class SecretStoreConformanceTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 2, 3, 4, 5, 678, TimeSpan.Zero);
    private static readonly MasterKeyId KeyA = TestKeys.IdOf(TestKeys.Primary);
    private static readonly MasterKeyId KeyB = TestKeys.IdOf(TestKeys.Secondary);
    private static readonly MasterKeyId KeyC = new(0x0c0c_0c0c);

    protected static SecretScope App { get; } = SecretScope.ForApp("shop");

    protected ISecretStore Store { get; private set; } = null!;

    /// <summary>Creates an empty store on real storage, unique to the current test.</summary>
    protected abstract ValueTask<ISecretStore> CreateStoreAsync();

    /// <summary>Returns every byte the store has written to its storage, to scan for plaintext.</summary>
    protected abstract ValueTask<IReadOnlyList<byte[]>> ReadRawStorageAsync();

    /// <summary>
    /// Opens a second instance on the storage of <see cref="Store"/>, as another process would, or returns
    /// <see langword="null"/> for a store that lives in one process only.
    /// </summary>
    protected virtual ValueTask<ISecretStore?> OpenSecondInstanceAsync() => ValueTask.FromResult<ISecretStore?>(null);

    /// <summary>Gets whether <see cref="ISecretStore.WatchChanges"/> fires for writes through another instance.</summary>
    protected virtual bool NotifiesOtherInstances => false;

    /// <summary>
    /// Creates (or tries to create, when opening it already fails) a store on storage that cannot be reached: a server
    /// nobody listens on, a folder that cannot exist. Returns <see langword="null"/> for a store that is always
    /// reachable (in memory), which skips the test.
    /// </summary>
    protected abstract ISecretStore? CreateUnreachableStore();

    /// <summary>Releases what <see cref="CreateStoreAsync"/> made.</summary>
    protected virtual ValueTask DeleteStoreAsync() => ValueTask.CompletedTask;

    [SetUp]
    public async Task CreateStore()
    {
        Store = await CreateStoreAsync();
        if (!TestContext.CurrentContext.Test.Properties.ContainsKey(WithEmptyKeyRecordAttribute.Name))
        {
            await TestKeys.RecordInAsync(Store);
        }
    }

    [TearDown]
    public async Task DeleteStore()
    {
        await DisposeAsync(Store);
        await DeleteStoreAsync();
    }

    [Test]
    public async Task Get_of_a_missing_secret_is_null() =>
        Assert.That(await Store.GetAsync(App, Name("MISSING")), Is.Null);

    [Test]
    public async Task Set_then_get_round_trips_envelope_and_metadata()
    {
        byte[] envelope = TestKeys.FakeEnvelope(KeyA);
        StoredSecret written = await Store.SetAsync(App, Name("API_KEY"), envelope, KeyA, T0);
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
    public async Task The_key_id_is_kept_as_given_and_never_read_from_the_envelope()
    {
        // Bytes whose header names KeyA, handed over as sealed under KeyB: a store that parsed the header would say KeyA.
        byte[] envelope = TestKeys.FakeEnvelope(KeyA);
        StoredSecret written = await Store.SetAsync(App, Name("API_KEY"), envelope, KeyB, T0);
        StoredSecret? swapped = await Store.ReplaceEnvelopeAsync(App, Name("API_KEY"), written.Version, envelope, KeyB);

        Assert.Multiple(async () =>
        {
            Assert.That(written.KeyId, Is.EqualTo(KeyB));
            Assert.That(swapped!.KeyId, Is.EqualTo(KeyB));
            Assert.That((await Store.GetAsync(App, Name("API_KEY")))!.KeyId, Is.EqualTo(KeyB));
            Assert.That((await ListAsync(App)).Single().KeyId, Is.EqualTo(KeyB));
            Assert.That(await Store.RemoveKeyIdAsync(KeyB), Is.False, "KeyB still seals a secret");
        });
    }

    [Test]
    public async Task Overwrite_replaces_the_envelope_keeps_created_and_bumps_version()
    {
        await Store.SetAsync(App, Name("API_KEY"), TestKeys.FakeEnvelope(KeyA), KeyA, T0);
        byte[] second = TestKeys.FakeEnvelope(KeyB, 40);
        StoredSecret written = await Store.SetAsync(App, Name("API_KEY"), second, KeyB, T0.AddMinutes(5));
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
        await Store.SetAsync(App, Name("Stripe_Key"), TestKeys.FakeEnvelope(KeyA), KeyA, T0);
        await Store.SetAsync(App, Name("STRIPE_KEY"), TestKeys.FakeEnvelope(KeyA), KeyA, T0);

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
        await Store.SetAsync(App, Name("API_KEY"), TestKeys.FakeEnvelope(KeyA), KeyA, T0);

        Assert.That(await Store.DeleteAsync(App, Name("api_key")), Is.True);
        Assert.That(await Store.GetAsync(App, Name("API_KEY")), Is.Null);
        Assert.That(await ListAsync(App), Is.Empty);
    }

    [Test]
    public async Task Delete_of_a_missing_secret_returns_false_and_changes_nothing()
    {
        await Store.SetAsync(App, Name("KEEP"), TestKeys.FakeEnvelope(KeyA), KeyA, T0);
        long before = await Store.GetChangeVersionAsync();

        Assert.That(await Store.DeleteAsync(App, Name("MISSING")), Is.False);
        Assert.That(await Store.GetChangeVersionAsync(), Is.EqualTo(before));
        Assert.That(await ListAsync(App), Has.Length.EqualTo(1));
    }

    [Test]
    public async Task A_name_set_again_after_delete_continues_its_versions_and_starts_its_times_anew()
    {
        await Store.SetAsync(App, Name("API_KEY"), TestKeys.FakeEnvelope(KeyA), KeyA, T0);
        await Store.SetAsync(App, Name("API_KEY"), TestKeys.FakeEnvelope(KeyA), KeyA, T0);
        await Store.DeleteAsync(App, Name("API_KEY"));
        StoredSecret again = await Store.SetAsync(App, Name("api_key"), TestKeys.FakeEnvelope(KeyA), KeyA, T0.AddDays(1));

        Assert.Multiple(() =>
        {
            Assert.That(again.Version, Is.EqualTo(3), "a version never repeats for a name");
            Assert.That(again.Name.Value, Is.EqualTo("api_key"));
            Assert.That((again.CreatedAt, again.UpdatedAt), Is.EqualTo((T0.AddDays(1), T0.AddDays(1))));
        });
    }

    [Test]
    public async Task A_compare_and_swap_made_before_a_delete_and_re_create_fails()
    {
        StoredSecret read = await Store.SetAsync(App, Name("API_KEY"), TestKeys.FakeEnvelope(KeyB), KeyB, T0);
        await Store.DeleteAsync(App, Name("API_KEY"));
        byte[] recreated = TestKeys.FakeEnvelope(KeyA);
        await Store.SetAsync(App, Name("API_KEY"), recreated, KeyA, T0);

        Assert.That(await Store.ReplaceEnvelopeAsync(App, Name("API_KEY"), read.Version, TestKeys.FakeEnvelope(KeyA), KeyA), Is.Null);
        Assert.That((await Store.GetAsync(App, Name("API_KEY")))!.Envelope.ToArray(), Is.EqualTo(recreated), "the acknowledged write stays");
    }

    [Test]
    public async Task A_deleted_secret_is_gone_for_every_read_and_a_re_seal_keeps_it_deleted()
    {
        StoredSecret read = await Store.SetAsync(App, Name("API_KEY"), TestKeys.FakeEnvelope(KeyB), KeyB, T0);
        await Store.DeleteAsync(App, Name("API_KEY"));

        StoredSecret? resealed = await Store.ReplaceEnvelopeAsync(App, Name("API_KEY"), read.Version, TestKeys.FakeEnvelope(KeyA), KeyA);
        Assert.Multiple(async () =>
        {
            Assert.That(resealed?.Version, Is.EqualTo(read.Version + 1), "rotation re-seals deleted secrets too");
            Assert.That(await Store.GetAsync(App, Name("API_KEY")), Is.Null);
            Assert.That(await ListAsync(App), Is.Empty);
            Assert.That(await Store.ListScopesAsync().ToArrayAsync(), Is.EqualTo(new[] { App }), "a deleted secret is still held");
            Assert.That(await Store.DeleteAsync(App, Name("API_KEY")), Is.False);
        });

        await Store.PurgeAsync(App, Name("API_KEY"));
        Assert.Multiple(async () =>
        {
            Assert.That(await Store.ReplaceEnvelopeAsync(App, Name("API_KEY"), resealed!.Version, TestKeys.FakeEnvelope(KeyB), KeyB), Is.Null, "a purged secret cannot be swapped back");
            Assert.That(await Store.ListScopesAsync().ToArrayAsync(), Is.Empty);
        });
    }

    [Test]
    public async Task List_returns_every_secret_of_the_scope()
    {
        string[] names = [.. Enumerable.Range(0, 25).Select(i => $"SECRET_{i}")];
        foreach (string name in names)
        {
            await Store.SetAsync(App, Name(name), TestKeys.FakeEnvelope(KeyA), KeyA, T0);
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
        await Store.SetAsync(App, Name("TOKEN"), inApp, KeyA, T0);
        await Store.SetAsync(other, Name("TOKEN"), inOther, KeyA, T0);
        await Store.SetAsync(SecretScope.Platform, Name("TOKEN"), inPlatform, KeyA, T0);

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

        await Task.WhenAll(envelopes.Select(e => Task.Run(async () => await Store.SetAsync(App, Name("CONTESTED"), e, KeyA, T0))));

        StoredSecret? final = await Store.GetAsync(App, Name("CONTESTED"));
        Assert.That(final!.Version, Is.EqualTo(Writers));
        Assert.That(envelopes.Any(e => e.AsSpan().SequenceEqual(final.Envelope.Span)), Is.True, "the final envelope is one that was written whole");
    }

    [Test]
    public async Task Parallel_writers_to_different_names_all_land()
    {
        const int Writers = 32;
        await Task.WhenAll(Enumerable.Range(0, Writers).Select(i =>
            Task.Run(async () => await Store.SetAsync(App, Name($"NAME_{i}"), TestKeys.FakeEnvelope(KeyA), KeyA, T0))));

        Assert.That(await ListAsync(App), Has.Length.EqualTo(Writers));
    }

    [Test]
    public async Task A_canceled_operation_throws_and_writes_nothing()
    {
        using var canceled = new CancellationTokenSource();
        await canceled.CancelAsync();
        await Store.SetAsync(App, Name("KEEP"), TestKeys.FakeEnvelope(KeyA), KeyA, T0);
        long before = await Store.GetChangeVersionAsync();

        Assert.Multiple(() =>
        {
            Assert.ThrowsAsync(Is.InstanceOf<OperationCanceledException>(), async () => await Store.SetAsync(App, Name("NEW"), TestKeys.FakeEnvelope(KeyA), KeyA, T0, canceled.Token));
            Assert.ThrowsAsync(Is.InstanceOf<OperationCanceledException>(), async () => await Store.DeleteAsync(App, Name("KEEP"), canceled.Token));
            Assert.ThrowsAsync(Is.InstanceOf<OperationCanceledException>(), async () => await Store.GetAsync(App, Name("KEEP"), canceled.Token));
            Assert.ThrowsAsync(Is.InstanceOf<OperationCanceledException>(), async () => await Store.ListAsync(App, canceled.Token).ToArrayAsync());
            Assert.ThrowsAsync(Is.InstanceOf<OperationCanceledException>(), async () => await Store.GetChangeVersionAsync(canceled.Token));
            Assert.ThrowsAsync(Is.InstanceOf<OperationCanceledException>(), async () => await Store.GetKeyIdsAsync(canceled.Token));
            Assert.ThrowsAsync(Is.InstanceOf<OperationCanceledException>(), async () => await Store.AddKeyIdAsync(KeyC, KeyA, canceled.Token));
            Assert.ThrowsAsync(Is.InstanceOf<OperationCanceledException>(), async () => await Store.RemoveKeyIdAsync(KeyB, canceled.Token));
        });
        Assert.That(await Store.GetChangeVersionAsync(), Is.EqualTo(before));
        Assert.That((await ListAsync(App)).Select(s => s.Name.Value), Is.EqualTo(new[] { "KEEP" }));
        Assert.That(await Store.GetKeyIdsAsync(), Is.EquivalentTo(new[] { KeyA, KeyB }));
    }

    [Test]
    public async Task Change_version_moves_on_every_set_and_delete_and_only_then()
    {
        var seen = new List<long> { await Store.GetChangeVersionAsync() };
        await Store.SetAsync(App, Name("A"), TestKeys.FakeEnvelope(KeyA), KeyA, T0);
        seen.Add(await Store.GetChangeVersionAsync());
        await Store.SetAsync(App, Name("A"), TestKeys.FakeEnvelope(KeyA), KeyA, T0);
        seen.Add(await Store.GetChangeVersionAsync());
        await Store.SetAsync(SecretScope.Platform, Name("B"), TestKeys.FakeEnvelope(KeyA), KeyA, T0);
        seen.Add(await Store.GetChangeVersionAsync());
        await Store.DeleteAsync(App, Name("A"));
        seen.Add(await Store.GetChangeVersionAsync());

        await Store.GetAsync(SecretScope.Platform, Name("B"));
        await ListAsync(SecretScope.Platform);
        await Store.GetKeyIdsAsync();

        Assert.That(seen, Is.Ordered.Ascending.And.Unique);
        Assert.That(await Store.GetChangeVersionAsync(), Is.EqualTo(seen[^1]));
    }

    [Test]
    [WithEmptyKeyRecord]
    public async Task A_store_that_was_never_set_up_has_no_key_record_and_refuses_every_envelope()
    {
        Assert.That(await Store.GetKeyIdsAsync(), Is.Empty);

        var error = Assert.ThrowsAsync<SecretStoreException>(async () => await Store.SetAsync(App, Name("A"), TestKeys.FakeEnvelope(KeyA), KeyA, T0));

        Assert.That(error!.Message, Does.Contain(KeyA.ToString()));
        Assert.That(await ListAsync(App), Is.Empty);
        Assert.That(await Store.ListScopesAsync().ToArrayAsync(), Is.Empty);
    }

    [Test]
    [WithEmptyKeyRecord]
    public async Task Set_up_records_the_first_key_and_afterwards_only_a_recorded_key_admits_another()
    {
        Assert.Multiple(async () =>
        {
            Assert.That(await Store.AddKeyIdAsync(KeyA, admittedBy: null), Is.EquivalentTo(new[] { KeyA }), "set-up");
            Assert.That(await Store.AddKeyIdAsync(KeyB, admittedBy: null), Is.EquivalentTo(new[] { KeyA }), "a second set-up is refused");
            Assert.That(await Store.AddKeyIdAsync(KeyB, admittedBy: KeyC), Is.EquivalentTo(new[] { KeyA }), "an unrecorded key admits nothing");
            Assert.That(await Store.AddKeyIdAsync(KeyB, admittedBy: KeyA), Is.EquivalentTo(new[] { KeyA, KeyB }));
            Assert.That(await Store.AddKeyIdAsync(KeyA, admittedBy: null), Is.EquivalentTo(new[] { KeyA, KeyB }), "recording twice changes nothing");
            Assert.That(await Store.GetKeyIdsAsync(), Is.EquivalentTo(new[] { KeyA, KeyB }));
        });
    }

    [Test]
    [WithEmptyKeyRecord]
    public async Task Of_processes_setting_up_an_empty_store_at_once_exactly_one_wins()
    {
        MasterKeyId[] contenders = [.. Enumerable.Range(1, 8).Select(i => new MasterKeyId((uint)(0x5e70_0000 + i)))];

        // Through two instances where the store has more than one, as two processes would.
        ISecretStore other = await OpenSecondInstanceAsync() ?? Store;
        try
        {
            IReadOnlySet<MasterKeyId>[] records = await Task.WhenAll(contenders.Select((id, i) =>
                Task.Run(async () => await (i % 2 == 0 ? Store : other).AddKeyIdAsync(id, admittedBy: null))));

            IReadOnlySet<MasterKeyId> final = await Store.GetKeyIdsAsync();
            Assert.That(final, Has.Count.EqualTo(1));
            Assert.That(records, Has.All.EquivalentTo(final), "every contender sees the winner's record");
        }
        finally
        {
            if (other != Store)
            {
                await DisposeAsync(other);
            }
        }
    }

    [Test]
    public async Task An_envelope_under_an_unrecorded_key_is_refused_and_nothing_changes()
    {
        byte[] kept = TestKeys.FakeEnvelope(KeyA);
        StoredSecret original = await Store.SetAsync(App, Name("API_KEY"), kept, KeyA, T0);
        long before = await Store.GetChangeVersionAsync();

        var set = Assert.ThrowsAsync<SecretStoreException>(async () => await Store.SetAsync(App, Name("API_KEY"), TestKeys.FakeEnvelope(KeyC), KeyC, T0));
        var swap = Assert.ThrowsAsync<SecretStoreException>(async () => await Store.ReplaceEnvelopeAsync(App, Name("API_KEY"), original.Version, TestKeys.FakeEnvelope(KeyC), KeyC));
        Assert.ThrowsAsync<SecretStoreException>(async () => await Store.SetAsync(App, Name("NEW"), TestKeys.FakeEnvelope(KeyC), KeyC, T0));

        StoredSecret? read = await Store.GetAsync(App, Name("API_KEY"));
        Assert.Multiple(async () =>
        {
            Assert.That(set!.Message, Does.Contain(KeyC.ToString()));
            Assert.That(swap!.Message, Does.Contain(KeyC.ToString()));
            Assert.That(read!.Envelope.ToArray(), Is.EqualTo(kept));
            Assert.That(read.Version, Is.EqualTo(original.Version));
            Assert.That(await Store.GetAsync(App, Name("NEW")), Is.Null);
            Assert.That(await Store.GetChangeVersionAsync(), Is.EqualTo(before));
        });
    }

    [Test]
    public async Task A_key_id_is_removed_only_when_no_envelope_is_sealed_under_it()
    {
        await Store.SetAsync(App, Name("A"), TestKeys.FakeEnvelope(KeyA), KeyA, T0);
        StoredSecret underB = await Store.SetAsync(SecretScope.Platform, Name("B"), TestKeys.FakeEnvelope(KeyB), KeyB, T0);
        await Store.SetAsync(App, Name("GONE"), TestKeys.FakeEnvelope(KeyB), KeyB, T0);
        await Store.DeleteAsync(App, Name("GONE"));
        await Store.PurgeAsync(App, Name("GONE"));

        Assert.That(await Store.RemoveKeyIdAsync(KeyB), Is.False, "B still seals a secret");
        await Store.ReplaceEnvelopeAsync(SecretScope.Platform, Name("B"), underB.Version, TestKeys.FakeEnvelope(KeyA), KeyA);

        Assert.That(await Store.RemoveKeyIdAsync(KeyB), Is.True, "a purged secret holds no key");
        Assert.Multiple(async () =>
        {
            Assert.That(await Store.GetKeyIdsAsync(), Is.EquivalentTo(new[] { KeyA }));
            Assert.That(await Store.RemoveKeyIdAsync(KeyB), Is.False, "already gone");
            Assert.That(await Store.RemoveKeyIdAsync(KeyC), Is.False, "never recorded");
        });
        Assert.ThrowsAsync<SecretStoreException>(async () => await Store.SetAsync(App, Name("A"), TestKeys.FakeEnvelope(KeyB), KeyB, T0));
    }

    [Test]
    public async Task Replace_envelope_swaps_only_the_expected_version()
    {
        StoredSecret original = await Store.SetAsync(App, Name("API_KEY"), TestKeys.FakeEnvelope(KeyA), KeyA, T0);
        byte[] resealed = TestKeys.FakeEnvelope(KeyB);
        long before = await Store.GetChangeVersionAsync();

        StoredSecret? replaced = await Store.ReplaceEnvelopeAsync(App, Name("api_key"), original.Version, resealed, KeyB);

        Assert.Multiple(async () =>
        {
            Assert.That(replaced!.Version, Is.EqualTo(original.Version + 1));
            Assert.That(replaced.Name.Value, Is.EqualTo("API_KEY"));
            StoredSecret? read = await Store.GetAsync(App, Name("API_KEY"));
            Assert.That(read!.Envelope.ToArray(), Is.EqualTo(resealed));
            Assert.That((read.CreatedAt, read.UpdatedAt), Is.EqualTo((T0, T0)), "a re-seal is not a new value");
            Assert.That(await Store.GetChangeVersionAsync(), Is.GreaterThan(before));
        });
    }

    [Test]
    public async Task Replace_envelope_leaves_a_secret_that_moved_on_or_is_gone()
    {
        StoredSecret original = await Store.SetAsync(App, Name("API_KEY"), TestKeys.FakeEnvelope(KeyA), KeyA, T0);
        byte[] newer = TestKeys.FakeEnvelope(KeyA);
        await Store.SetAsync(App, Name("API_KEY"), newer, KeyA, T0);
        long before = await Store.GetChangeVersionAsync();

        Assert.That(await Store.ReplaceEnvelopeAsync(App, Name("API_KEY"), original.Version, TestKeys.FakeEnvelope(KeyB), KeyB), Is.Null);
        Assert.That(await Store.ReplaceEnvelopeAsync(App, Name("MISSING"), 1, TestKeys.FakeEnvelope(KeyB), KeyB), Is.Null);
        Assert.That((await Store.GetAsync(App, Name("API_KEY")))!.Envelope.ToArray(), Is.EqualTo(newer));
        Assert.That(await Store.GetChangeVersionAsync(), Is.EqualTo(before));
    }

    [Test]
    public async Task List_scopes_returns_the_scopes_that_hold_secrets()
    {
        Assert.That(await Store.ListScopesAsync().ToArrayAsync(), Is.Empty);

        await Store.SetAsync(App, Name("A"), TestKeys.FakeEnvelope(KeyA), KeyA, T0);
        await Store.SetAsync(SecretScope.Platform, Name("B"), TestKeys.FakeEnvelope(KeyA), KeyA, T0);
        await Store.SetAsync(SecretScope.ForApp("gone"), Name("C"), TestKeys.FakeEnvelope(KeyA), KeyA, T0);
        await Store.SetAsync(SecretScope.ForApp("deleted"), Name("D"), TestKeys.FakeEnvelope(KeyA), KeyA, T0);
        await Store.DeleteAsync(SecretScope.ForApp("gone"), Name("C"));
        await Store.PurgeAsync(SecretScope.ForApp("gone"), Name("C"));
        await Store.DeleteAsync(SecretScope.ForApp("deleted"), Name("D"));

        Assert.That(await Store.ListScopesAsync().ToArrayAsync(), Is.EquivalentTo(new[] { App, SecretScope.Platform, SecretScope.ForApp("deleted") }), "a scope with only a deleted secret is listed, a purged one not");
    }

    [Test]
    public async Task The_largest_envelope_round_trips()
    {
        byte[] envelope = TestKeys.FakeEnvelope(KeyA, ISecretVault.MaxValueUtf8Bytes);
        await Store.SetAsync(App, Name("BIG"), envelope, KeyA, T0);

        Assert.That((await Store.GetAsync(App, Name("BIG")))!.Envelope.ToArray(), Is.EqualTo(envelope));
    }

    [Test]
    public async Task The_store_never_holds_the_plaintext()
    {
        const string Value = "sk_live_conformance_plaintext_marker_4f1c";
        await using ServiceProvider provider = BuildVault(TestKeys.Primary, [TestKeys.Secondary]);
        var vault = provider.GetRequiredService<ISecretVault>();

        await vault.SetAsync(App, "STRIPE_KEY", Value);
        await vault.SetAsync(SecretScope.Platform, "SLACK_TOKEN", Value);

        byte[] plaintext = Encoding.UTF8.GetBytes(Value);
        IReadOnlyList<byte[]> raw = await ReadRawStorageAsync();
        Assert.That(raw, Is.Not.Empty, "the raw storage scan found nothing to scan");
        Assert.That(raw.Any(bytes => bytes.AsSpan().IndexOf(plaintext) >= 0), Is.False);
    }

    [Test]
    public async Task Changed_scopes_are_the_scopes_written_in_the_range_and_no_other()
    {
        SecretScope other = SecretScope.ForApp("other");
        SecretScope[] all = [App, SecretScope.Platform, other];
        long v0 = await Store.GetChangeVersionAsync();
        await Store.SetAsync(App, Name("A"), TestKeys.FakeEnvelope(KeyA), KeyA, T0);
        long v1 = await Store.GetChangeVersionAsync();
        Assert.That(await Store.GetChangedScopesAsync(v0, v1, all), Is.EquivalentTo(new[] { App }));

        await Store.SetAsync(SecretScope.Platform, Name("B"), TestKeys.FakeEnvelope(KeyA), KeyA, T0);
        await Store.DeleteAsync(App, Name("A"));
        await Store.DeleteAsync(other, Name("NEVER_SET"));
        Assert.ThrowsAsync<SecretStoreException>(async () => await Store.SetAsync(other, Name("C"), TestKeys.FakeEnvelope(KeyC), KeyC, T0));
        long v2 = await Store.GetChangeVersionAsync();

        Assert.Multiple(async () =>
        {
            Assert.That(await Store.GetChangedScopesAsync(v1, v2, all), Is.EquivalentTo(new[] { App, SecretScope.Platform }), "a delete of nothing and a refused write change nothing");
            Assert.That(await Store.GetChangedScopesAsync(v1, v2, [SecretScope.Platform, other]), Is.EquivalentTo(new[] { SecretScope.Platform }), "only the scopes asked about");
            Assert.That(await Store.GetChangedScopesAsync(v2, v2, all), Is.Empty);
            Assert.That(await Store.GetChangedScopesAsync(v0, v2, []), Is.Empty);
        });
    }

    [Test]
    public async Task Watching_fires_after_a_write_through_another_instance()
    {
        if (!NotifiesOtherInstances)
        {
            Assert.Ignore($"{Store.GetType().Name} does not notify: other instances' writes are found by polling.");
        }

        ISecretStore second = (await OpenSecondInstanceAsync())!;
        try
        {
            await WaitUntilQuietAsync(Store);
            for (int round = 0; round < 3; round++)
            {
                var fired = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                using IDisposable registration = Store.WatchChanges().RegisterChangeCallback(_ => fired.TrySetResult(), null);
                await second.SetAsync(App, Name($"FROM_ELSEWHERE_{round}"), TestKeys.FakeEnvelope(KeyA), KeyA, T0);

                Assert.That(await Task.WhenAny(fired.Task, Task.Delay(TimeSpan.FromSeconds(30))), Is.SameAs(fired.Task), $"round {round}");
            }
        }
        finally
        {
            await DisposeAsync(second);
        }
    }

    [Test]
    public async Task A_burst_of_writes_by_another_vault_fires_every_scope_it_touched_and_no_other()
    {
        const int Writes = 1000;
        SecretScope[] touched = [.. Enumerable.Range(0, 10).Select(i => SecretScope.ForApp($"touched-{i}"))];
        SecretScope[] untouched = [.. Enumerable.Range(0, 10).Select(i => SecretScope.ForApp($"untouched-{i}"))];
        await using ServiceProvider watcher = BuildVault(TestKeys.Primary, [TestKeys.Secondary], o => o.ChangePollInterval = TimeSpan.FromMilliseconds(200));
        await using ServiceProvider writer = BuildVault(TestKeys.Primary, [TestKeys.Secondary]);
        var feed = watcher.GetRequiredService<ISecretChangeFeed>();
        var fires = new ConcurrentDictionary<SecretScope, int>();
        IDisposable[] watches = [.. touched.Concat(untouched).Select(scope =>
            ChangeToken.OnChange(() => feed.GetChangeToken(scope), () => fires.AddOrUpdate(scope, 1, (_, n) => n + 1)))];
        try
        {
            var vault = writer.GetRequiredService<ISecretVault>();
            for (int i = 0; i < Writes; i++)
            {
                await vault.SetAsync(touched[i % touched.Length], $"KEY_{i % 7}", $"value-{i}");
            }

            using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            while (!touched.All(fires.ContainsKey))
            {
                await Task.Delay(20, patience.Token);
            }

            // Room for a stray fire to show up before the untouched scopes are judged.
            await Task.Delay(500);
            Assert.That(untouched.Where(fires.ContainsKey), Is.Empty);
        }
        finally
        {
            Array.ForEach(watches, w => w.Dispose());
        }
    }

    [Test]
    [WithEmptyKeyRecord]
    public async Task Rotation_racing_writers_that_delete_and_re_create_reverts_no_acknowledged_write()
    {
        const int Writers = 4, NamesPerWriter = 6, OperationsPerRound = 20, Rounds = 4;
        string[] keys = [TestKeys.Primary, TestKeys.Secondary];
        string[][] names = [.. Enumerable.Range(0, Writers).Select(w => Enumerable.Range(0, NamesPerWriter).Select(n => $"W{w}_N{n}").ToArray())];
        var acknowledged = new ConcurrentDictionary<string, string?>();
        var providers = new List<ServiceProvider>();
        try
        {
            providers.Add(BuildVault(keys[1]));
            foreach (string name in names.SelectMany(n => n))
            {
                await providers[0].GetRequiredService<ISecretVault>().SetAsync(App, name, acknowledged[name] = $"{name}-seed");
            }

            for (int round = 0; round < Rounds; round++)
            {
                // Each round seals under the other key, so every secret written before is re-sealed while writers run.
                providers.Add(BuildVault(keys[round % 2], [keys[(round + 1) % 2]]));
                ISecretVault vault = providers[^1].GetRequiredService<ISecretVault>();
                int seed = round;
                Task[] writers = [.. names.Select((owned, w) => Task.Run(() => WriteAsync(vault, owned, new Random((seed * Writers) + w), acknowledged, round)))];
                Task rotating = Task.Run(async () =>
                {
                    do
                    {
                        await vault.RotateAsync();
                    }
                    while (!writers.All(w => w.IsCompleted));
                });
                await Task.WhenAll([.. writers, rotating]);
            }

            ISecretReader reader = providers[^1].GetRequiredService<ISecretReader>();
            var reverted = new List<string>();
            foreach ((string name, string? expected) in acknowledged)
            {
                using SecretValue? value = await reader.GetAsync(App, name);
                if (value?.RevealString() != expected)
                {
                    reverted.Add(name);
                }
            }

            Assert.That(reverted, Is.Empty, "secrets whose last acknowledged write was undone");
        }
        finally
        {
            foreach (ServiceProvider provider in providers)
            {
                await provider.DisposeAsync();
            }
        }

        static async Task WriteAsync(ISecretVault vault, string[] owned, Random random, ConcurrentDictionary<string, string?> acknowledged, int round)
        {
            for (int operation = 0; operation < OperationsPerRound; operation++)
            {
                string name = owned[random.Next(owned.Length)];
                string value = $"{name}-r{round}-o{operation}";
                switch (random.Next(3))
                {
                    case 0:
                        await vault.SetAsync(App, name, value);
                        acknowledged[name] = value;
                        break;
                    case 1:
                        await vault.DeleteAsync(App, name);
                        acknowledged[name] = null;
                        break;
                    default:
                        await vault.DeleteAsync(App, name);
                        await vault.SetAsync(App, name, value);
                        acknowledged[name] = value;
                        break;
                }
            }
        }
    }

    protected static SecretName Name(string name) => SecretName.Parse(name);

    /// <summary>
    /// Lets pass what a store's token fires for on its own (a PostgreSQL listener fires once when it connects, to catch
    /// up), so that a fire afterwards answers a write.
    /// </summary>
    public static async Task WaitUntilQuietAsync(ISecretStore store)
    {
        for (int attempt = 0; attempt < 20; attempt++)
        {
            var fired = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            using IDisposable registration = store.WatchChanges().RegisterChangeCallback(_ => fired.TrySetResult(), null);
            if (await Task.WhenAny(fired.Task, Task.Delay(500)) != fired.Task)
            {
                return;
            }
        }

        Assert.Fail("The store's change token kept firing with no write.");
    }

    [Test]
    public void A_store_that_cannot_be_reached_fails_with_SecretStoreException_holding_the_driver_error()
    {
        IgnoreWhenAlwaysReachable();
        Func<ISecretStore, Task>[] operations =
        [
            async store => await store.GetAsync(App, Name("API_KEY")),
            async store => await store.ListAsync(App).ToArrayAsync(),
            async store => await store.SetAsync(App, Name("API_KEY"), TestKeys.FakeEnvelope(KeyA), KeyA, T0),
            async store => await store.DeleteAsync(App, Name("API_KEY")),
            async store => await store.GetKeyIdsAsync(),
            async store => await store.AddKeyIdAsync(KeyA, admittedBy: null),
            async store => await store.GetChangeVersionAsync(),
        ];

        Assert.Multiple(() =>
        {
            for (int i = 0; i < operations.Length; i++)
            {
                var error = Assert.ThrowsAsync<SecretStoreException>(async () => await RunOnUnreachableStoreAsync(operations[i]), $"operation {i}");
                Assert.That(error?.InnerException, Is.Not.Null.And.Not.InstanceOf<RootCxVaultException>(), $"operation {i}: the driver's error is inside");
            }
        });
    }

    private void IgnoreWhenAlwaysReachable()
    {
        try
        {
            if (CreateUnreachableStore() is not { } store)
            {
                Assert.Ignore("This store lives in memory: it cannot be unreachable.");
                return;
            }

            DisposeAsync(store).AsTask().GetAwaiter().GetResult();
        }
        catch (SecretStoreException)
        {
            // Opening the store already fails; the test checks that it fails that way.
        }
    }

    /// <summary>Opens an unreachable store (which may already fail) and runs <paramref name="operation"/> on it.</summary>
    private async Task RunOnUnreachableStoreAsync(Func<ISecretStore, Task> operation)
    {
        ISecretStore store = CreateUnreachableStore()!;
        try
        {
            await operation(store);
        }
        finally
        {
            await DisposeAsync(store);
        }
    }

    private static async ValueTask DisposeAsync(ISecretStore store)
    {
        (store as IDisposable)?.Dispose();
        if (store is IAsyncDisposable asyncDisposable)
        {
            await asyncDisposable.DisposeAsync();
        }
    }

    /// <summary>A vault over <see cref="Store"/>; the store is registered as an instance, so disposing the vault leaves it open.</summary>
    private ServiceProvider BuildVault(string masterKey, string[]? previousKeys = null, Action<RootCxVaultOptions>? configure = null)
    {
        var services = new ServiceCollection();
        services.AddRootCxVault(o =>
        {
            o.MasterKey = masterKey;
            o.ReadMasterKeyFromEnvironment = false;
            Array.ForEach(previousKeys ?? [], o.PreviousMasterKeys.Add);
            configure?.Invoke(o);
        });
        services.AddSingleton(Store);
        return services.BuildServiceProvider();
    }

    private async Task<StoredSecret[]> ListAsync(SecretScope scope) => await Store.ListAsync(scope).ToArrayAsync();

    /// <summary>Leaves the store's key record empty for the test, instead of recording the test keys.</summary>
    [AttributeUsage(AttributeTargets.Method)]
    protected sealed class WithEmptyKeyRecordAttribute : PropertyAttribute
    {
        public const string Name = "WithEmptyKeyRecord";

        public WithEmptyKeyRecordAttribute()
            : base(Name, "true")
        {
        }
    }
}
