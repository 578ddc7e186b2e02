using NUnit.Framework;
using RootCx.Vault.Storage;

namespace RootCx.Vault.Testing;

/// <summary>Conditional writes: a precondition is checked with the write, and a refused write changes nothing.</summary>
public abstract partial class SecretStoreConformanceTests
{
    [Test]
    public async Task A_create_only_set_creates_an_absent_or_deleted_secret_and_refuses_a_live_one()
    {
        StoredSecret created = await Store.SetAsync(App, Name("API_KEY"), TestKeys.FakeEnvelope(KeyA), KeyA, T0, SecretPrecondition.IfAbsent, RootCxVaultOptions.DefaultMaxVersions);
        byte[] live = created.Envelope.ToArray();
        long before = await Store.GetChangeVersionAsync();

        var conflict = Assert.ThrowsAsync<SecretConflictException>(async () =>
            await Store.SetAsync(App, Name("api_key"), TestKeys.FakeEnvelope(KeyA), KeyA, T0.AddHours(1), SecretPrecondition.IfAbsent, RootCxVaultOptions.DefaultMaxVersions));

        Assert.Multiple(async () =>
        {
            Assert.That(created.Version, Is.EqualTo(1));
            Assert.That((conflict!.Precondition, conflict.CurrentVersion), Is.EqualTo((SecretPrecondition.IfAbsent, (long?)1)));
            await AssertUnchangedAsync(App, "API_KEY", live, created.Version, before);
        });

        await Store.DeleteAsync(App, Name("API_KEY"));
        StoredSecret recreated = await Store.SetAsync(App, Name("Api_Key"), TestKeys.FakeEnvelope(KeyA), KeyA, T0.AddHours(2), SecretPrecondition.IfAbsent, RootCxVaultOptions.DefaultMaxVersions);
        Assert.That((recreated.Name.Value, recreated.Version, recreated.CreatedAt), Is.EqualTo(("Api_Key", 2L, T0.AddHours(2))), "a deleted name is absent, and its versions continue");
    }

    [Test]
    public async Task A_set_at_the_expected_version_replaces_it_and_at_any_other_version_changes_nothing()
    {
        StoredSecret first = await Store.SetAsync(App, Name("API_KEY"), TestKeys.FakeEnvelope(KeyA), KeyA, T0);
        byte[] second = TestKeys.FakeEnvelope(KeyB);
        StoredSecret replaced = await Store.SetAsync(App, Name("api_key"), second, KeyB, T0.AddHours(1), SecretPrecondition.IfVersion(first.Version), RootCxVaultOptions.DefaultMaxVersions);
        long before = await Store.GetChangeVersionAsync();

        var stale = Assert.ThrowsAsync<SecretConflictException>(async () =>
            await Store.SetAsync(App, Name("API_KEY"), TestKeys.FakeEnvelope(KeyA), KeyA, T0.AddHours(2), SecretPrecondition.IfVersion(first.Version), RootCxVaultOptions.DefaultMaxVersions));
        var ahead = Assert.ThrowsAsync<SecretConflictException>(async () =>
            await Store.SetAsync(App, Name("API_KEY"), TestKeys.FakeEnvelope(KeyA), KeyA, T0.AddHours(2), SecretPrecondition.IfVersion(replaced.Version + 1), RootCxVaultOptions.DefaultMaxVersions));
        var missing = Assert.ThrowsAsync<SecretConflictException>(async () =>
            await Store.SetAsync(App, Name("MISSING"), TestKeys.FakeEnvelope(KeyA), KeyA, T0, SecretPrecondition.IfVersion(1), RootCxVaultOptions.DefaultMaxVersions));

        Assert.Multiple(async () =>
        {
            Assert.That((replaced.Name.Value, replaced.Version, replaced.CreatedAt, replaced.UpdatedAt), Is.EqualTo(("api_key", 2L, T0, T0.AddHours(1))));
            Assert.That(stale!.CurrentVersion, Is.EqualTo(2));
            Assert.That(ahead!.CurrentVersion, Is.EqualTo(2));
            Assert.That(missing!.CurrentVersion, Is.Null, "a check-and-set never creates");
            Assert.That(await Store.GetAsync(App, Name("MISSING")), Is.Null);
            await AssertUnchangedAsync(App, "API_KEY", second, replaced.Version, before);
        });
    }

    [Test]
    public async Task A_conditional_set_under_an_unrecorded_key_is_refused_as_such_whatever_the_precondition()
    {
        StoredSecret live = await Store.SetAsync(App, Name("API_KEY"), TestKeys.FakeEnvelope(KeyA), KeyA, T0);

        Assert.Multiple(() =>
        {
            Assert.ThrowsAsync<SecretStoreException>(async () =>
                await Store.SetAsync(App, Name("API_KEY"), TestKeys.FakeEnvelope(KeyC), KeyC, T0, SecretPrecondition.IfVersion(live.Version), RootCxVaultOptions.DefaultMaxVersions));
            Assert.ThrowsAsync<SecretStoreException>(async () =>
                await Store.SetAsync(App, Name("NEW"), TestKeys.FakeEnvelope(KeyC), KeyC, T0, SecretPrecondition.IfAbsent, RootCxVaultOptions.DefaultMaxVersions));
        });
        Assert.That(await Store.GetAsync(App, Name("NEW")), Is.Null);
    }

    [Test]
    public async Task A_conditional_delete_deletes_only_the_expected_version()
    {
        StoredSecret first = await Store.SetAsync(App, Name("API_KEY"), TestKeys.FakeEnvelope(KeyA), KeyA, T0);
        StoredSecret second = await Store.SetAsync(App, Name("API_KEY"), TestKeys.FakeEnvelope(KeyA), KeyA, T0);
        long before = await Store.GetChangeVersionAsync();

        var stale = Assert.ThrowsAsync<SecretConflictException>(async () => await Store.DeleteAsync(App, Name("API_KEY"), DateTimeOffset.UtcNow, SecretPrecondition.IfVersion(first.Version)));
        var live = Assert.ThrowsAsync<SecretConflictException>(async () => await Store.DeleteAsync(App, Name("API_KEY"), DateTimeOffset.UtcNow, SecretPrecondition.IfAbsent));
        Assert.Multiple(async () =>
        {
            Assert.That(stale!.CurrentVersion, Is.EqualTo(second.Version));
            Assert.That(live!.CurrentVersion, Is.EqualTo(second.Version));
            await AssertUnchangedAsync(App, "API_KEY", second.Envelope.ToArray(), second.Version, before);
        });

        Assert.That(await Store.DeleteAsync(App, Name("api_key"), DateTimeOffset.UtcNow, SecretPrecondition.IfVersion(second.Version)), Is.True);
        var gone = Assert.ThrowsAsync<SecretConflictException>(async () => await Store.DeleteAsync(App, Name("API_KEY"), DateTimeOffset.UtcNow, SecretPrecondition.IfVersion(second.Version)));
        Assert.Multiple(async () =>
        {
            Assert.That(gone!.CurrentVersion, Is.Null);
            Assert.That(await Store.DeleteAsync(App, Name("API_KEY"), DateTimeOffset.UtcNow, SecretPrecondition.IfAbsent), Is.False, "absent as required: nothing to delete");
            Assert.That(await Store.GetAsync(App, Name("API_KEY")), Is.Null);
            Assert.That((await Store.SetAsync(App, Name("API_KEY"), TestKeys.FakeEnvelope(KeyA), KeyA, T0)).Version, Is.EqualTo(second.Version + 1));
        });
    }

    [Test]
    public async Task Of_writers_racing_from_the_same_version_exactly_one_wins_and_the_others_change_nothing()
    {
        StoredSecret read = await Store.SetAsync(App, Name("CONTESTED"), TestKeys.FakeEnvelope(KeyA), KeyA, T0);
        await RaceAsync(SecretPrecondition.IfVersion(read.Version), "CONTESTED", expectedVersion: read.Version + 1);
    }

    [Test]
    public async Task Of_creators_racing_for_one_name_exactly_one_wins()
    {
        await RaceAsync(SecretPrecondition.IfAbsent, "CREATED_ONCE", expectedVersion: 1);
    }

    [Test]
    public void A_conflict_names_the_secret_and_versions_and_never_the_envelope()
    {
        byte[] envelope = TestKeys.FakeEnvelope(KeyA);
        var conflict = Assert.ThrowsAsync<SecretConflictException>(async () => await Store.SetAsync(App, Name("API_KEY"), envelope, KeyA, T0, SecretPrecondition.IfVersion(7), RootCxVaultOptions.DefaultMaxVersions))!;

        Assert.That(conflict.Message, Does.Contain("API_KEY").And.Contain("version 7").And.Contain(App.ToString()));
        Assert.That(conflict.Message, Does.Not.Contain(Convert.ToBase64String(envelope)).And.Not.Contain(Convert.ToHexString(envelope)));
    }

    /// <summary>Sixteen writers, through two instances where the store has them, all under one precondition.</summary>
    private async Task RaceAsync(SecretPrecondition precondition, string name, long expectedVersion)
    {
        const int Writers = 16;
        byte[][] envelopes = [.. Enumerable.Range(0, Writers).Select(_ => TestKeys.FakeEnvelope(KeyA))];
        ISecretStore other = await OpenSecondInstanceAsync() ?? Store;
        try
        {
            Task<StoredSecret>[] writes = [.. envelopes.Select((envelope, i) =>
                Task.Run(async () => await (i % 2 == 0 ? Store : other).SetAsync(App, Name(name), envelope, KeyA, T0, precondition, RootCxVaultOptions.DefaultMaxVersions)))];
            await Task.WhenAll(writes).ContinueWith(_ => { }, TaskScheduler.Default);

            Task<StoredSecret>[] won = [.. writes.Where(w => w.IsCompletedSuccessfully)];
            StoredSecret? final = await Store.GetAsync(App, Name(name));
            Assert.Multiple(() =>
            {
                Assert.That(won, Has.Length.EqualTo(1), "exactly one writer wins");
                Assert.That(writes.Where(w => !w.IsCompletedSuccessfully).Select(w => w.Exception!.InnerException), Has.All.InstanceOf<SecretConflictException>());
                Assert.That(final!.Version, Is.EqualTo(expectedVersion));
                Assert.That(final.Envelope.ToArray(), Is.EqualTo(won.Single().Result.Envelope.ToArray()), "the winner's envelope is the one stored");
            });
        }
        finally
        {
            if (other != Store)
            {
                await DisposeAsync(other);
            }
        }
    }

    private async Task AssertUnchangedAsync(SecretScope scope, string name, byte[] envelope, long version, long changeVersion)
    {
        StoredSecret? read = await Store.GetAsync(scope, Name(name));
        Assert.That(read!.Envelope.ToArray(), Is.EqualTo(envelope), "the refused write left the envelope");
        Assert.That(read.Version, Is.EqualTo(version), "and the version");
        Assert.That(await Store.GetChangeVersionAsync(), Is.EqualTo(changeVersion), "and the change version");
    }
}
