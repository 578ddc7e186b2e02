using NUnit.Framework;
using RootCx.Vault.Storage;

namespace RootCx.Vault.Testing;

/// <summary>The bulk copy-in every store offers for migration (<see cref="ISecretStore.ImportAsync"/>).</summary>
public abstract partial class SecretStoreConformanceTests
{
    [Test]
    public async Task Import_writes_each_secret_exactly_as_given()
    {
        // The envelope's header names KeyA while the secret says KeyB: the key id is taken as given, as by a set.
        StoredSecret[] batch =
        [
            Copy(App, "Stripe_Key", TestKeys.FakeEnvelope(KeyA), KeyB, version: 7),
            Copy(App, "SLACK_TOKEN", TestKeys.FakeEnvelope(KeyA, 200), KeyA, version: 1),
            Copy(SecretScope.Platform, "Stripe_Key", TestKeys.FakeEnvelope(KeyB), KeyB, version: 42),
        ];

        int written = await Store.ImportAsync(batch);

        Assert.That(written, Is.EqualTo(3));
        foreach (StoredSecret expected in batch)
        {
            StoredSecret? read = await Store.GetAsync(expected.Scope, Name(expected.Name.Value.ToUpperInvariant()));
            StoredSecret listed = (await ListAsync(expected.Scope)).Single(s => s.Name.Equals(expected.Name));
            foreach (StoredSecret actual in new[] { read!, listed })
            {
                Assert.Multiple(() =>
                {
                    Assert.That(actual.Name.Value, Is.EqualTo(expected.Name.Value), "the spelling");
                    Assert.That(actual.Envelope.ToArray(), Is.EqualTo(expected.Envelope.ToArray()));
                    Assert.That(actual.KeyId, Is.EqualTo(expected.KeyId));
                    Assert.That((actual.CreatedAt, actual.UpdatedAt), Is.EqualTo((expected.CreatedAt, expected.UpdatedAt)));
                    Assert.That(actual.Version, Is.EqualTo(expected.Version));
                });
            }
        }

        Assert.That(await Store.ListScopesAsync().ToArrayAsync(), Is.EquivalentTo(new[] { App, SecretScope.Platform }));
    }

    [Test]
    public async Task Import_leaves_a_name_already_present_as_it_is_whatever_its_spelling()
    {
        byte[] kept = TestKeys.FakeEnvelope(KeyA);
        StoredSecret present = await Store.SetAsync(App, Name("API_KEY"), kept, KeyA, T0);

        int written = await Store.ImportAsync([Copy(App, "api_key", TestKeys.FakeEnvelope(KeyB), KeyB, version: 9), Copy(App, "NEW_KEY", TestKeys.FakeEnvelope(KeyA), KeyA, version: 3)]);

        StoredSecret? read = await Store.GetAsync(App, Name("API_KEY"));
        Assert.Multiple(async () =>
        {
            Assert.That(written, Is.EqualTo(1));
            Assert.That(read!.Envelope.ToArray(), Is.EqualTo(kept));
            Assert.That((read.Name.Value, read.Version, read.KeyId), Is.EqualTo(("API_KEY", present.Version, KeyA)));
            Assert.That((await Store.GetAsync(App, Name("NEW_KEY")))!.Version, Is.EqualTo(3));
        });
    }

    [Test]
    public async Task Import_under_an_unrecorded_key_id_is_refused_and_writes_nothing()
    {
        long before = await Store.GetChangeVersionAsync();

        var error = Assert.ThrowsAsync<SecretStoreException>(async () => await Store.ImportAsync(
            [Copy(App, "FIRST", TestKeys.FakeEnvelope(KeyA), KeyA, version: 1), Copy(SecretScope.Platform, "SECOND", TestKeys.FakeEnvelope(KeyC), KeyC, version: 1)]));

        Assert.Multiple(async () =>
        {
            Assert.That(error!.Message, Does.Contain(KeyC.ToString()));
            Assert.That(await Store.GetAsync(App, Name("FIRST")), Is.Null, "the batch is refused whole");
            Assert.That(await Store.ListScopesAsync().ToArrayAsync(), Is.Empty);
            Assert.That(await Store.GetChangeVersionAsync(), Is.EqualTo(before));
        });
    }

    [Test]
    public async Task Import_moves_the_change_version_and_the_versions_of_the_scopes_it_wrote()
    {
        SecretScope other = SecretScope.ForApp("other");
        long v0 = await Store.GetChangeVersionAsync();

        await Store.ImportAsync([Copy(App, "A", TestKeys.FakeEnvelope(KeyA), KeyA, version: 1), Copy(SecretScope.Platform, "B", TestKeys.FakeEnvelope(KeyA), KeyA, version: 2)]);
        long v1 = await Store.GetChangeVersionAsync();

        Assert.That(v1, Is.GreaterThan(v0));
        Assert.That(await Store.GetChangedScopesAsync(v0, v1, [App, SecretScope.Platform, other]), Is.EquivalentTo(new[] { App, SecretScope.Platform }));
    }

    [Test]
    public async Task A_second_identical_import_writes_nothing_so_an_interrupted_copy_can_run_again()
    {
        StoredSecret[] batch = [.. Enumerable.Range(0, 30).Select(i => Copy(App, $"SECRET_{i}", TestKeys.FakeEnvelope(KeyA), KeyA, version: i + 1))];
        await Store.ImportAsync(batch[..10]);
        long before = await Store.GetChangeVersionAsync();

        Assert.That(await Store.ImportAsync(batch[..10]), Is.Zero);
        Assert.That(await Store.GetChangeVersionAsync(), Is.EqualTo(before), "nothing written, no change announced");
        Assert.That(await Store.ImportAsync(batch), Is.EqualTo(20), "the rest lands");
        Assert.That(await ListAsync(App), Has.Length.EqualTo(30));
    }

    [Test]
    public async Task An_empty_import_writes_nothing()
    {
        long before = await Store.GetChangeVersionAsync();

        Assert.That(await Store.ImportAsync([]), Is.Zero);
        Assert.That(await Store.GetChangeVersionAsync(), Is.EqualTo(before));
    }

    [Test]
    public async Task Import_refuses_a_batch_that_holds_a_name_twice_in_a_scope_ignoring_case()
    {
        Assert.ThrowsAsync<ArgumentException>(async () => await Store.ImportAsync(
            [Copy(App, "Token", TestKeys.FakeEnvelope(KeyA), KeyA, version: 1), Copy(App, "TOKEN", TestKeys.FakeEnvelope(KeyA), KeyA, version: 1)]));

        Assert.That(await Store.ImportAsync(
            [Copy(App, "TOKEN", TestKeys.FakeEnvelope(KeyA), KeyA, version: 1), Copy(SecretScope.Platform, "TOKEN", TestKeys.FakeEnvelope(KeyA), KeyA, version: 1)]), Is.EqualTo(2), "one name in two scopes is two secrets");
        Assert.That(await ListAsync(App), Has.Length.EqualTo(1));
    }

    [Test]
    public async Task Import_over_a_purged_name_never_repeats_a_version()
    {
        await Store.SetAsync(App, Name("API_KEY"), TestKeys.FakeEnvelope(KeyA), KeyA, T0);
        await Store.SetAsync(App, Name("API_KEY"), TestKeys.FakeEnvelope(KeyA), KeyA, T0);
        await Store.DeleteAsync(App, Name("API_KEY"));
        Assert.That(await Store.ImportAsync([Copy(App, "API_KEY", TestKeys.FakeEnvelope(KeyA), KeyA, version: 5)]), Is.Zero, "a recoverable deleted secret holds its name");
        await Store.PurgeAsync(App, Name("API_KEY"));

        Assert.That(await Store.ImportAsync([Copy(App, "API_KEY", TestKeys.FakeEnvelope(KeyA), KeyA, version: 2)]), Is.Zero, "version 2 was the purged secret's");
        Assert.That(await Store.GetAsync(App, Name("API_KEY")), Is.Null);

        byte[] later = TestKeys.FakeEnvelope(KeyB);
        Assert.That(await Store.ImportAsync([Copy(App, "Api_Key", later, KeyB, version: 5)]), Is.EqualTo(1));
        StoredSecret? imported = await Store.GetAsync(App, Name("API_KEY"));
        StoredSecret next = await Store.SetAsync(App, Name("API_KEY"), TestKeys.FakeEnvelope(KeyA), KeyA, T0);
        Assert.Multiple(() =>
        {
            Assert.That(imported!.Envelope.ToArray(), Is.EqualTo(later));
            Assert.That((imported.Name.Value, imported.Version, imported.CreatedAt), Is.EqualTo(("Api_Key", 5L, T0.AddDays(-3))));
            Assert.That(next.Version, Is.EqualTo(6), "a set continues from the imported version");
        });
    }

    [Test]
    public async Task Watching_fires_after_an_import_through_another_instance()
    {
        if (!NotifiesOtherInstances)
        {
            Assert.Ignore($"{Store.GetType().Name} does not notify: other instances' writes are found by polling.");
        }

        ISecretStore second = (await OpenSecondInstanceAsync())!;
        try
        {
            await WaitUntilQuietAsync(Store);
            var fired = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            using IDisposable registration = Store.WatchChanges().RegisterChangeCallback(_ => fired.TrySetResult(), null);
            await second.ImportAsync([Copy(App, "IMPORTED", TestKeys.FakeEnvelope(KeyA), KeyA, version: 1)]);

            Assert.That(await Task.WhenAny(fired.Task, Task.Delay(TimeSpan.FromSeconds(30))), Is.SameAs(fired.Task));
        }
        finally
        {
            await DisposeAsync(second);
        }
    }

    [Test]
    public async Task Import_racing_sets_of_the_same_names_never_fails_and_each_name_keeps_one_whole_secret()
    {
        const int Names = 20;
        StoredSecret[] batch = [.. Enumerable.Range(0, Names).Select(i => Copy(App, $"RACED_{i}", TestKeys.FakeEnvelope(KeyA), KeyA, version: 1))];
        byte[][] set = [.. Enumerable.Range(0, Names).Select(_ => TestKeys.FakeEnvelope(KeyB))];

        Task<int> importing = Task.Run(async () => await Store.ImportAsync(batch));
        await Task.WhenAll(Enumerable.Range(0, Names).Select(i => Task.Run(async () => await Store.SetAsync(App, Name($"RACED_{i}"), set[i], KeyB, T0))));
        int imported = await importing;

        StoredSecret[] listed = await ListAsync(App);
        byte[][] written = [.. batch.Select(b => b.Envelope.ToArray()), .. set];
        int keptImport = listed.Count(s => batch.Any(b => b.Envelope.Span.SequenceEqual(s.Envelope.Span)));
        Assert.Multiple(() =>
        {
            Assert.That(listed, Has.Length.EqualTo(Names));
            Assert.That(listed.All(s => written.Any(e => e.AsSpan().SequenceEqual(s.Envelope.Span))), Is.True, "every envelope is one that was written whole");
            Assert.That(keptImport, Is.LessThanOrEqualTo(imported), "an imported secret stays only where the import wrote it");
        });
    }

    [Test]
    public async Task A_canceled_import_throws_and_writes_nothing()
    {
        using var canceled = new CancellationTokenSource();
        await canceled.CancelAsync();
        long before = await Store.GetChangeVersionAsync();

        Assert.ThrowsAsync(Is.InstanceOf<OperationCanceledException>(), async () => await Store.ImportAsync([Copy(App, "NEW", TestKeys.FakeEnvelope(KeyA), KeyA, version: 1)], canceled.Token));

        Assert.That(await Store.GetChangeVersionAsync(), Is.EqualTo(before));
        Assert.That(await ListAsync(App), Is.Empty);
    }

    [Test]
    public void Import_into_a_store_that_cannot_be_reached_fails_with_SecretStoreException_holding_the_driver_error()
    {
        IgnoreWhenAlwaysReachable();

        var error = Assert.ThrowsAsync<SecretStoreException>(async () => await RunOnUnreachableStoreAsync(
            async store => await store.ImportAsync([Copy(App, "API_KEY", TestKeys.FakeEnvelope(KeyA), KeyA, version: 1)])));

        Assert.That(error?.InnerException, Is.Not.Null.And.Not.InstanceOf<RootCxVaultException>());
    }

    /// <summary>A secret as another store would hand it over: created three days before <see cref="T0"/>, updated at it.</summary>
    private static StoredSecret Copy(SecretScope scope, string name, byte[] envelope, MasterKeyId keyId, long version) =>
        new(scope, Name(name), envelope, keyId, T0.AddDays(-3), T0, version);
}
