using NUnit.Framework;
using RootCx.Vault.Storage;

namespace RootCx.Vault.Testing;

/// <summary>History (older versions kept on set) and soft delete (recover, purge): what every store keeps and forgets.</summary>
public abstract partial class SecretStoreConformanceTests
{
    [Test]
    public async Task A_set_keeps_the_envelope_it_replaces_as_an_older_version_up_to_the_limit()
    {
        var written = new List<StoredSecret>();
        for (int i = 0; i < 5; i++)
        {
            MasterKeyId key = i % 2 == 0 ? KeyA : KeyB;
            written.Add(await Store.SetAsync(App, Name(i == 4 ? "api_key" : "API_KEY"), TestKeys.FakeEnvelope(key), key, T0.AddMinutes(i), SecretPrecondition.None, maxVersions: 3));
        }

        IReadOnlyList<StoredSecret> history = await Store.GetHistoryAsync(App, Name("Api_Key"));
        StoredSecret? live = await Store.GetAsync(App, Name("API_KEY"));
        Assert.Multiple(() =>
        {
            Assert.That(live!.Envelope.ToArray(), Is.EqualTo(written[4].Envelope.ToArray()), "the runtime reads the newest");
            Assert.That(history.Select(v => v.Version), Is.EqualTo(new long[] { 4, 3 }), "newest first, three versions in all");
            Assert.That(history.Select(v => v.Envelope.ToArray()), Is.EqualTo(new[] { written[3].Envelope.ToArray(), written[2].Envelope.ToArray() }));
            Assert.That(history.Select(v => v.KeyId), Is.EqualTo(new[] { KeyB, KeyA }));
            Assert.That(history.Select(v => v.UpdatedAt), Is.EqualTo(new[] { T0.AddMinutes(3), T0.AddMinutes(2) }), "each when it was written");
            Assert.That(history.Select(v => v.CreatedAt).Distinct(), Is.EqualTo(new[] { T0 }));
        });
    }

    [Test]
    public async Task One_version_keeps_no_history_and_a_lower_limit_drops_the_oldest_at_the_next_set()
    {
        for (int i = 0; i < 4; i++)
        {
            await Store.SetAsync(App, Name("API_KEY"), TestKeys.FakeEnvelope(KeyA), KeyA, T0, SecretPrecondition.None, maxVersions: 10);
        }

        Assert.That(await Store.GetHistoryAsync(App, Name("API_KEY")), Has.Count.EqualTo(3));
        await Store.SetAsync(App, Name("API_KEY"), TestKeys.FakeEnvelope(KeyA), KeyA, T0, SecretPrecondition.None, maxVersions: 2);
        Assert.That((await Store.GetHistoryAsync(App, Name("API_KEY"))).Select(v => v.Version), Is.EqualTo(new long[] { 4 }));
        await Store.SetAsync(App, Name("API_KEY"), TestKeys.FakeEnvelope(KeyA), KeyA, T0, SecretPrecondition.None, maxVersions: 1);
        Assert.That(await Store.GetHistoryAsync(App, Name("API_KEY")), Is.Empty);
        Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () =>
            await Store.SetAsync(App, Name("API_KEY"), TestKeys.FakeEnvelope(KeyA), KeyA, T0, SecretPrecondition.None, maxVersions: 0));
    }

    [Test]
    public async Task History_is_per_name_and_scope_and_a_rotation_swap_adds_none()
    {
        StoredSecret first = await Store.SetAsync(App, Name("A"), TestKeys.FakeEnvelope(KeyA), KeyA, T0);
        await Store.SetAsync(App, Name("B"), TestKeys.FakeEnvelope(KeyA), KeyA, T0);
        await Store.SetAsync(App, Name("B"), TestKeys.FakeEnvelope(KeyA), KeyA, T0);
        await Store.SetAsync(SecretScope.Platform, Name("A"), TestKeys.FakeEnvelope(KeyA), KeyA, T0);
        await Store.SetAsync(SecretScope.Platform, Name("A"), TestKeys.FakeEnvelope(KeyA), KeyA, T0);
        await Store.ReplaceEnvelopeAsync(App, Name("A"), first.Version, TestKeys.FakeEnvelope(KeyB), KeyB);

        Assert.Multiple(async () =>
        {
            Assert.That(await Store.GetHistoryAsync(App, Name("A")), Is.Empty, "a re-seal replaces, it keeps no old-key copy");
            Assert.That(await Store.GetHistoryAsync(App, Name("B")), Has.Count.EqualTo(1));
            Assert.That(await Store.GetHistoryAsync(App, Name("MISSING")), Is.Empty);
            Assert.That((await Store.ListHistoryAsync(App).ToArrayAsync()).Select(v => v.Name.Value), Is.EqualTo(new[] { "B" }));
            Assert.That((await Store.ListHistoryAsync(SecretScope.Platform).ToArrayAsync()).Select(v => (v.Scope, v.Name.Value)), Is.EqualTo(new[] { (SecretScope.Platform, "A") }));
        });
    }

    [Test]
    public async Task A_deleted_secret_leaves_every_read_and_is_listed_as_deleted_with_its_time_and_history()
    {
        await Store.SetAsync(App, Name("API_KEY"), TestKeys.FakeEnvelope(KeyA), KeyA, T0);
        StoredSecret last = await Store.SetAsync(App, Name("Api_Key"), TestKeys.FakeEnvelope(KeyB), KeyB, T0.AddHours(1));
        await Store.SetAsync(App, Name("KEEP"), TestKeys.FakeEnvelope(KeyA), KeyA, T0);
        long before = await Store.GetChangeVersionAsync();

        Assert.That(await Store.DeleteAsync(App, Name("api_key"), T0.AddDays(1), SecretPrecondition.IfVersion(last.Version)), Is.True);

        DeletedSecret[] deleted = await Store.ListDeletedAsync(App).ToArrayAsync();
        Assert.Multiple(async () =>
        {
            Assert.That(await Store.GetAsync(App, Name("API_KEY")), Is.Null);
            Assert.That((await ListAsync(App)).Select(s => s.Name.Value), Is.EqualTo(new[] { "KEEP" }));
            Assert.That(await Store.GetChangeVersionAsync(), Is.GreaterThan(before));
            Assert.That(deleted, Has.Length.EqualTo(1));
            Assert.That((deleted[0].Secret.Name.Value, deleted[0].Secret.Version, deleted[0].Secret.KeyId, deleted[0].DeletedAt), Is.EqualTo(("Api_Key", last.Version, KeyB, T0.AddDays(1))));
            Assert.That(deleted[0].Secret.Envelope.ToArray(), Is.EqualTo(last.Envelope.ToArray()));
            Assert.That(await Store.ListDeletedAsync(SecretScope.Platform).ToArrayAsync(), Is.Empty);
            Assert.That(await Store.GetHistoryAsync(App, Name("API_KEY")), Has.Count.EqualTo(1), "history stays with the deleted secret");
            Assert.That(await Store.DeleteAsync(App, Name("API_KEY"), T0.AddDays(2), SecretPrecondition.None), Is.False, "deleting it again deletes nothing");
            Assert.That((await Store.ListDeletedAsync(App).ToArrayAsync())[0].DeletedAt, Is.EqualTo(T0.AddDays(1)), "nor moves its deletion time");
        });
    }

    [Test]
    public async Task A_precondition_sees_a_deleted_secret_as_absent()
    {
        StoredSecret read = await Store.SetAsync(App, Name("API_KEY"), TestKeys.FakeEnvelope(KeyA), KeyA, T0);
        await Store.DeleteAsync(App, Name("API_KEY"));

        var stale = Assert.ThrowsAsync<SecretConflictException>(async () =>
            await Store.SetAsync(App, Name("API_KEY"), TestKeys.FakeEnvelope(KeyA), KeyA, T0, SecretPrecondition.IfVersion(read.Version), RootCxVaultOptions.DefaultMaxVersions));
        var delete = Assert.ThrowsAsync<SecretConflictException>(async () =>
            await Store.DeleteAsync(App, Name("API_KEY"), T0, SecretPrecondition.IfVersion(read.Version)));
        Assert.Multiple(async () =>
        {
            Assert.That(stale!.CurrentVersion, Is.Null);
            Assert.That(delete!.CurrentVersion, Is.Null);
            Assert.That(await Store.ListDeletedAsync(App).ToArrayAsync(), Has.Length.EqualTo(1), "the refused writes left the deleted secret");
        });

        StoredSecret created = await Store.SetAsync(App, Name("API_KEY"), TestKeys.FakeEnvelope(KeyA), KeyA, T0, SecretPrecondition.IfAbsent, RootCxVaultOptions.DefaultMaxVersions);
        Assert.That(created.Version, Is.EqualTo(read.Version + 1));
    }

    [Test]
    public async Task Recover_brings_back_envelope_version_and_history_and_moves_the_change_version()
    {
        await Store.SetAsync(App, Name("API_KEY"), TestKeys.FakeEnvelope(KeyA), KeyA, T0);
        StoredSecret last = await Store.SetAsync(App, Name("API_KEY"), TestKeys.FakeEnvelope(KeyB), KeyB, T0.AddHours(1));
        await Store.DeleteAsync(App, Name("API_KEY"));
        long before = await Store.GetChangeVersionAsync();

        StoredSecret? recovered = await Store.RecoverAsync(App, Name("api_key"));

        StoredSecret? read = await Store.GetAsync(App, Name("API_KEY"));
        Assert.Multiple(async () =>
        {
            Assert.That((recovered?.Version, read?.Version), Is.EqualTo(((long?)last.Version, (long?)last.Version)));
            Assert.That(read!.Envelope.ToArray(), Is.EqualTo(last.Envelope.ToArray()));
            Assert.That((read.Name.Value, read.KeyId, read.CreatedAt, read.UpdatedAt), Is.EqualTo(("API_KEY", KeyB, T0, T0.AddHours(1))));
            Assert.That(await Store.GetHistoryAsync(App, Name("API_KEY")), Has.Count.EqualTo(1));
            Assert.That(await Store.ListDeletedAsync(App).ToArrayAsync(), Is.Empty);
            Assert.That(await Store.GetChangeVersionAsync(), Is.GreaterThan(before));
        });
    }

    [Test]
    public async Task Recover_of_a_live_or_missing_name_returns_null_and_changes_nothing()
    {
        StoredSecret live = await Store.SetAsync(App, Name("LIVE"), TestKeys.FakeEnvelope(KeyA), KeyA, T0);
        long before = await Store.GetChangeVersionAsync();

        Assert.Multiple(async () =>
        {
            Assert.That(await Store.RecoverAsync(App, Name("LIVE")), Is.Null);
            Assert.That(await Store.RecoverAsync(App, Name("MISSING")), Is.Null);
            Assert.That(await Store.RecoverAsync(SecretScope.Platform, Name("LIVE")), Is.Null);
            await AssertUnchangedAsync(App, "LIVE", live.Envelope.ToArray(), live.Version, before);
        });
    }

    [Test]
    public async Task A_set_over_a_deleted_name_creates_a_new_secret_and_destroys_the_deleted_one_with_its_history()
    {
        byte[][] deleted = [TestKeys.FakeEnvelope(KeyA, 48), TestKeys.FakeEnvelope(KeyA, 48)];
        StoredSecret old = await Store.SetAsync(App, Name("API_KEY"), deleted[0], KeyA, T0);
        old = await Store.SetAsync(App, Name("API_KEY"), deleted[1], KeyA, T0);
        await Store.DeleteAsync(App, Name("API_KEY"));

        StoredSecret again = await Store.SetAsync(App, Name("Api_Key"), TestKeys.FakeEnvelope(KeyB), KeyB, T0.AddDays(1));

        IReadOnlyList<byte[]> raw = await ReadRawStorageAsync();
        Assert.Multiple(async () =>
        {
            Assert.That((again.Version, again.CreatedAt), Is.EqualTo((old.Version + 1, T0.AddDays(1))), "a new live secret; versions never repeat");
            Assert.That(await Store.ListDeletedAsync(App).ToArrayAsync(), Is.Empty);
            Assert.That(await Store.GetHistoryAsync(App, Name("API_KEY")), Is.Empty, "the deleted value does not live on as history past its retention");
            Assert.That(await Store.ListHistoryAsync(App).ToArrayAsync(), Is.Empty);
            Assert.That(deleted.Any(e => raw.Any(bytes => bytes.AsSpan().IndexOf(e.AsSpan(17)) >= 0)), Is.False, "nothing of the deleted secret is held");
        });
    }

    [Test]
    public async Task Purge_destroys_a_deleted_secret_and_its_history_and_versions_still_never_repeat()
    {
        await Store.SetAsync(App, Name("API_KEY"), TestKeys.FakeEnvelope(KeyA), KeyA, T0);
        StoredSecret last = await Store.SetAsync(App, Name("API_KEY"), TestKeys.FakeEnvelope(KeyA), KeyA, T0);
        await Store.DeleteAsync(App, Name("API_KEY"), T0.AddHours(1), SecretPrecondition.None);
        long before = await Store.GetChangeVersionAsync();

        DeletedSecret? purged = await Store.PurgeAsync(App, Name("api_key"));

        Assert.Multiple(async () =>
        {
            Assert.That((purged?.Secret.Version, purged?.DeletedAt), Is.EqualTo(((long?)last.Version, (DateTimeOffset?)T0.AddHours(1))));
            Assert.That(await Store.ListDeletedAsync(App).ToArrayAsync(), Is.Empty);
            Assert.That(await Store.GetHistoryAsync(App, Name("API_KEY")), Is.Empty);
            Assert.That(await Store.ListHistoryAsync(App).ToArrayAsync(), Is.Empty);
            Assert.That(await Store.RecoverAsync(App, Name("API_KEY")), Is.Null);
            Assert.That(await Store.GetChangeVersionAsync(), Is.GreaterThan(before));
            Assert.That(await Store.PurgeAsync(App, Name("API_KEY")), Is.Null, "purging again purges nothing");
        });

        StoredSecret next = await Store.SetAsync(App, Name("API_KEY"), TestKeys.FakeEnvelope(KeyA), KeyA, T0);
        Assert.That(next.Version, Is.EqualTo(last.Version + 1));
        Assert.That(await Store.GetHistoryAsync(App, Name("API_KEY")), Is.Empty, "a purged name starts a new history");
    }

    [Test]
    public async Task Purge_leaves_a_live_secret_alone()
    {
        StoredSecret live = await Store.SetAsync(App, Name("LIVE"), TestKeys.FakeEnvelope(KeyA), KeyA, T0);
        long before = await Store.GetChangeVersionAsync();

        Assert.That(await Store.PurgeAsync(App, Name("LIVE")), Is.Null);
        await AssertUnchangedAsync(App, "LIVE", live.Envelope.ToArray(), live.Version, before);
    }

    [Test]
    public async Task Purged_envelopes_leave_the_storage()
    {
        byte[][] envelopes = [TestKeys.FakeEnvelope(KeyA, 48), TestKeys.FakeEnvelope(KeyA, 48)];
        foreach (byte[] envelope in envelopes)
        {
            await Store.SetAsync(App, Name("API_KEY"), envelope, KeyA, T0);
        }

        await Store.SetAsync(App, Name("KEEP"), TestKeys.FakeEnvelope(KeyA), KeyA, T0);
        await Store.DeleteAsync(App, Name("API_KEY"));
        IReadOnlyList<byte[]> held = await ReadRawStorageAsync();
        Assert.That(envelopes.All(e => held.Any(bytes => bytes.AsSpan().IndexOf(e.AsSpan(17)) >= 0)), Is.True, "the scan finds a deleted secret and its history");

        await Store.PurgeAsync(App, Name("API_KEY"));

        IReadOnlyList<byte[]> raw = await ReadRawStorageAsync();
        Assert.That(envelopes.Any(e => raw.Any(bytes => bytes.AsSpan().IndexOf(e.AsSpan(17)) >= 0)), Is.False);
    }

    [Test]
    public async Task Purge_deleted_purges_every_scope_s_secrets_deleted_before_the_time_and_no_other()
    {
        SecretScope other = SecretScope.ForApp("other");
        foreach ((SecretScope scope, string name, int hour) in new[] { (App, "OLD", 1), (other, "OLD", 2), (App, "NEW", 5), (SecretScope.Platform, "LIVE", 0) })
        {
            await Store.SetAsync(scope, Name(name), TestKeys.FakeEnvelope(KeyA), KeyA, T0);
            if (hour > 0)
            {
                await Store.DeleteAsync(scope, Name(name), T0.AddHours(hour), SecretPrecondition.None);
            }
        }

        IReadOnlyList<DeletedSecret> purged = await Store.PurgeDeletedAsync(T0.AddHours(5));

        Assert.Multiple(async () =>
        {
            Assert.That(purged.Select(p => (p.Secret.Scope, p.Secret.Name.Value, p.DeletedAt)), Is.EquivalentTo(new[] { (App, "OLD", T0.AddHours(1)), (other, "OLD", T0.AddHours(2)) }));
            Assert.That((await Store.ListDeletedAsync(App).ToArrayAsync()).Select(d => d.Secret.Name.Value), Is.EqualTo(new[] { "NEW" }), "deleted at the time itself stays");
            Assert.That(await Store.ListDeletedAsync(other).ToArrayAsync(), Is.Empty);
            Assert.That(await Store.GetAsync(SecretScope.Platform, Name("LIVE")), Is.Not.Null);
            Assert.That(await Store.PurgeDeletedAsync(T0.AddHours(5)), Is.Empty);
        });
    }

    [Test]
    public async Task An_older_version_is_re_sealed_in_place_and_a_version_no_longer_kept_is_not()
    {
        StoredSecret first = await Store.SetAsync(App, Name("API_KEY"), TestKeys.FakeEnvelope(KeyA), KeyA, T0);
        StoredSecret second = await Store.SetAsync(App, Name("API_KEY"), TestKeys.FakeEnvelope(KeyA), KeyA, T0.AddHours(1));
        await Store.SetAsync(App, Name("API_KEY"), TestKeys.FakeEnvelope(KeyA), KeyA, T0.AddHours(2));
        long before = await Store.GetChangeVersionAsync();
        byte[] resealed = TestKeys.FakeEnvelope(KeyB);

        Assert.That(await Store.ReplaceHistoryEnvelopeAsync(App, Name("api_key"), second.Version, resealed, KeyB), Is.True);

        IReadOnlyList<StoredSecret> history = await Store.GetHistoryAsync(App, Name("API_KEY"));
        Assert.Multiple(async () =>
        {
            Assert.That((history[0].Version, history[0].KeyId, history[0].UpdatedAt), Is.EqualTo((second.Version, KeyB, T0.AddHours(1))));
            Assert.That(history[0].Envelope.ToArray(), Is.EqualTo(resealed));
            Assert.That(history[1].Envelope.ToArray(), Is.EqualTo(first.Envelope.ToArray()));
            Assert.That(await Store.GetChangeVersionAsync(), Is.EqualTo(before), "no reader sees history");
            Assert.That(await Store.ReplaceHistoryEnvelopeAsync(App, Name("API_KEY"), 99, TestKeys.FakeEnvelope(KeyB), KeyB), Is.False);
            Assert.That(await Store.ReplaceHistoryEnvelopeAsync(App, Name("MISSING"), 1, TestKeys.FakeEnvelope(KeyB), KeyB), Is.False);
        });
        Assert.ThrowsAsync<SecretStoreException>(async () => await Store.ReplaceHistoryEnvelopeAsync(App, Name("API_KEY"), first.Version, TestKeys.FakeEnvelope(KeyC), KeyC));
        Assert.That((await Store.GetHistoryAsync(App, Name("API_KEY")))[1].Envelope.ToArray(), Is.EqualTo(first.Envelope.ToArray()), "the refused re-seal wrote nothing");
    }

    [Test]
    public async Task A_key_sealing_an_older_version_or_a_deleted_secret_stays_recorded()
    {
        await Store.SetAsync(App, Name("HISTORY"), TestKeys.FakeEnvelope(KeyB), KeyB, T0);
        await Store.SetAsync(App, Name("HISTORY"), TestKeys.FakeEnvelope(KeyA), KeyA, T0);
        Assert.That(await Store.RemoveKeyIdAsync(KeyB), Is.False, "an older version is sealed under it");

        IReadOnlyList<StoredSecret> history = await Store.GetHistoryAsync(App, Name("HISTORY"));
        await Store.ReplaceHistoryEnvelopeAsync(App, Name("HISTORY"), history[0].Version, TestKeys.FakeEnvelope(KeyA), KeyA);
        await Store.SetAsync(App, Name("DELETED"), TestKeys.FakeEnvelope(KeyB), KeyB, T0);
        await Store.DeleteAsync(App, Name("DELETED"));
        Assert.That(await Store.RemoveKeyIdAsync(KeyB), Is.False, "a deleted secret is sealed under it");

        await Store.PurgeAsync(App, Name("DELETED"));
        Assert.That(await Store.RemoveKeyIdAsync(KeyB), Is.True);
    }

    [Test]
    public async Task Another_instance_sees_history_deleted_secrets_and_recovery()
    {
        await using var second = await OpenSecondInstanceAsync() is { } opened ? new Disposer(opened) : null;
        if (second is null)
        {
            Assert.Ignore("This store lives in one process.");
        }

        await Store.SetAsync(App, Name("API_KEY"), TestKeys.FakeEnvelope(KeyA), KeyA, T0);
        await Store.SetAsync(App, Name("API_KEY"), TestKeys.FakeEnvelope(KeyA), KeyA, T0);
        await second.Store.DeleteAsync(App, Name("API_KEY"), T0.AddHours(1), SecretPrecondition.None);

        Assert.Multiple(async () =>
        {
            Assert.That((await Store.ListDeletedAsync(App).ToArrayAsync()).Select(d => d.DeletedAt), Is.EqualTo(new[] { T0.AddHours(1) }));
            Assert.That(await second.Store.GetHistoryAsync(App, Name("API_KEY")), Has.Count.EqualTo(1));
        });

        Assert.That(await second.Store.RecoverAsync(App, Name("API_KEY")), Is.Not.Null);
        Assert.That(await Store.GetAsync(App, Name("API_KEY")), Is.Not.Null);
    }

    private sealed class Disposer(ISecretStore store) : IAsyncDisposable
    {
        public ISecretStore Store { get; } = store;

        public ValueTask DisposeAsync() => SecretStoreConformanceTests.DisposeAsync(Store);
    }
}
