using RootCx.Vault.Storage;
using RootCx.Vault.Testing;

namespace RootCx.Vault.FileSystem.Tests;

/// <summary>
/// The files a crash or a power loss can leave half-way through a write, made by hand (SIGKILL alone cannot undo an
/// unflushed change): each is ignored or cleaned up as docs/FORMAT.md says, and never changes what readers see.
/// </summary>
public class CrashLeftoverTests : StoreFolderTests
{
    private static readonly SecretScope Shop = SecretScope.ForApp("shop");
    private static readonly SecretName Name = SecretName.Parse("API_KEY");
    private static readonly MasterKeyId Key = TestKeys.IdOf(TestKeys.Primary);
    private static readonly DateTimeOffset T0 = new(2026, 12, 1, 8, 0, 0, TimeSpan.Zero);

    private string ShopFolder => Path.Combine(Folder.Path, "scopes", "shop");

    private string HistoryFolder => Path.Combine(ShopFolder, "history", "API_KEY");

    private string LivePath => Path.Combine(ShopFolder, "API_KEY.secret");

    private string DeletedPath => Path.Combine(ShopFolder, "deleted", "API_KEY.secret");

    [Test]
    public async Task An_older_version_linked_by_a_set_that_never_landed_is_not_history_and_a_re_seal_does_not_reveal_it()
    {
        using FileSystemSecretStore store = await OpenAsync();
        await SetAsync(store);
        StoredSecret live = await SetAsync(store);
        File.Copy(LivePath, Path.Combine(HistoryFolder, "2.secret"));

        Assert.That(await HistoryOf(store), Is.EqualTo(new long[] { 1 }), "an entry at the live version is not history yet");
        await store.ReplaceEnvelopeAsync(Shop, Name, live.Version, TestKeys.FakeEnvelope(Key), Key);

        Assert.Multiple(async () =>
        {
            Assert.That(await HistoryOf(store), Is.EqualTo(new long[] { 1 }), "the re-seal removed it before moving past it");
            Assert.That(File.Exists(Path.Combine(HistoryFolder, "2.secret")), Is.False);
        });
        await SetAsync(store);
        Assert.That(await HistoryOf(store), Is.EqualTo(new long[] { 3, 1 }));
    }

    [Test]
    public async Task A_deleted_record_beside_the_live_file_left_by_an_unfinished_delete_does_not_count()
    {
        using FileSystemSecretStore store = await OpenAsync();
        StoredSecret live = await SetAsync(store);
        WriteDeletedRecord(live, T0);

        Assert.Multiple(async () =>
        {
            Assert.That(await store.ListDeletedAsync(Shop).ToArrayAsync(), Is.Empty);
            Assert.That(await store.RecoverAsync(Shop, Name), Is.Null);
            Assert.That(await store.PurgeAsync(Shop, Name), Is.Null);
            Assert.That((await store.GetAsync(Shop, Name))!.Version, Is.EqualTo(live.Version));
        });

        Assert.That(await store.DeleteAsync(Shop, Name, T0.AddDays(1), SecretPrecondition.None), Is.True);
        Assert.That((await store.ListDeletedAsync(Shop).ToArrayAsync()).Select(d => d.DeletedAt), Is.EqualTo(new[] { T0.AddDays(1) }));
    }

    [Test]
    public async Task A_deleted_record_left_by_a_recover_whose_clean_up_was_lost_goes_at_the_next_set()
    {
        using FileSystemSecretStore store = await OpenAsync();
        StoredSecret live = await SetAsync(store);
        await store.DeleteAsync(Shop, Name, T0, SecretPrecondition.None);
        byte[] deleted = File.ReadAllBytes(DeletedPath);
        await store.RecoverAsync(Shop, Name);
        File.WriteAllBytes(DeletedPath, deleted);

        Assert.That(await store.ListScopesAsync().ToArrayAsync(), Is.EqualTo(new[] { Shop }));
        Assert.That(await store.ListDeletedAsync(Shop).ToArrayAsync(), Is.Empty);
        StoredSecret next = await SetAsync(store);
        Assert.Multiple(async () =>
        {
            Assert.That(next.Version, Is.EqualTo(live.Version + 1));
            Assert.That(File.Exists(DeletedPath), Is.False);
            Assert.That(await HistoryOf(store), Is.EqualTo(new[] { live.Version }));
        });
    }

    [Test]
    public async Task Versions_a_set_dropped_that_come_back_after_a_power_loss_stay_dropped()
    {
        using FileSystemSecretStore store = await OpenAsync();
        await SetAsync(store);
        await SetAsync(store);
        byte[] first = File.ReadAllBytes(Path.Combine(HistoryFolder, "1.secret"));
        await SetAsync(store, maxVersions: 2);
        File.WriteAllBytes(Path.Combine(HistoryFolder, "1.secret"), first);

        Assert.That(await HistoryOf(store), Is.EqualTo(new long[] { 2 }), "below the live record's range");
        await SetAsync(store);
        Assert.Multiple(async () =>
        {
            Assert.That(await HistoryOf(store), Is.EqualTo(new long[] { 3, 2 }), "and it never comes back into it");
            Assert.That(File.Exists(Path.Combine(HistoryFolder, "1.secret")), Is.False, "the next set of the name removes it");
        });
    }

    [Test]
    public async Task A_purge_cut_short_after_its_tombstone_leaves_the_secret_deleted_and_recoverable()
    {
        using FileSystemSecretStore store = await OpenAsync();
        await SetAsync(store);
        StoredSecret live = await SetAsync(store);
        await store.DeleteAsync(Shop, Name, T0, SecretPrecondition.None);
        File.WriteAllBytes(Path.Combine(ShopFolder, "deleted", "API_KEY.purged"), TombstoneFile.Encode(live.Version));

        Assert.That((await store.ListDeletedAsync(Shop).ToArrayAsync()).Select(d => d.Secret.Version), Is.EqualTo(new[] { live.Version }));
        Assert.That((await store.RecoverAsync(Shop, Name))?.Version, Is.EqualTo(live.Version));
        Assert.That(await HistoryOf(store), Is.EqualTo(new long[] { 1 }));
    }

    [Test]
    public async Task History_a_purge_cut_short_left_behind_is_not_the_history_of_the_name_set_again()
    {
        using FileSystemSecretStore store = await OpenAsync();
        for (int i = 0; i < 3; i++)
        {
            await SetAsync(store);
        }

        await store.DeleteAsync(Shop, Name, T0, SecretPrecondition.None);
        Dictionary<string, byte[]> history = Directory.EnumerateFiles(HistoryFolder).ToDictionary(p => p, File.ReadAllBytes);
        await store.PurgeAsync(Shop, Name);
        Directory.CreateDirectory(HistoryFolder);
        foreach ((string path, byte[] content) in history)
        {
            File.WriteAllBytes(path, content);
        }

        Assert.Multiple(async () =>
        {
            Assert.That(await HistoryOf(store), Is.Empty, "no record, no history");
            Assert.That(await store.ListHistoryAsync(Shop).ToArrayAsync(), Is.Empty);
        });

        StoredSecret again = await SetAsync(store);
        Assert.Multiple(async () =>
        {
            Assert.That(again.Version, Is.EqualTo(4));
            Assert.That(await HistoryOf(store), Is.Empty, "a purged name starts a new history");
            Assert.That(Directory.EnumerateFiles(HistoryFolder), Is.Empty, "the set removed what was left");
        });
    }

    [Test]
    public async Task History_a_purge_cut_short_left_behind_goes_at_the_next_purge_of_expired_secrets()
    {
        using FileSystemSecretStore store = await OpenAsync();
        for (int i = 0; i < 3; i++)
        {
            await SetAsync(store);
            await SetAsync(store, name: "KEPT_LIVE");
            await SetAsync(store, name: "KEPT_DELETED");
        }

        await store.DeleteAsync(Shop, Name, T0, SecretPrecondition.None);
        await store.DeleteAsync(Shop, SecretName.Parse("KEPT_DELETED"), T0.AddDays(10), SecretPrecondition.None);
        Dictionary<string, byte[]> history = Directory.EnumerateFiles(HistoryFolder).ToDictionary(p => p, File.ReadAllBytes);
        await store.PurgeAsync(Shop, Name);
        Directory.CreateDirectory(HistoryFolder);
        foreach ((string path, byte[] content) in history)
        {
            File.WriteAllBytes(path, content);
        }

        Assert.That(await store.PurgeDeletedAsync(T0.AddDays(1)), Is.Empty);

        Assert.Multiple(async () =>
        {
            Assert.That(Directory.Exists(HistoryFolder), Is.False, "a history folder of a name without a record goes");
            Assert.That(await store.GetHistoryAsync(Shop, SecretName.Parse("KEPT_LIVE")), Has.Count.EqualTo(2));
            Assert.That(await store.GetHistoryAsync(Shop, SecretName.Parse("KEPT_DELETED")), Has.Count.EqualTo(2), "a deleted secret not yet expired keeps its history");
            Assert.That((await SetAsync(store)).Version, Is.EqualTo(4));
        });
    }

    [Test]
    public async Task A_set_over_a_deleted_secret_cut_short_after_its_rename_leaves_the_new_secret_without_history()
    {
        using FileSystemSecretStore store = await OpenAsync();
        for (int i = 0; i < 3; i++)
        {
            await SetAsync(store);
        }

        await store.DeleteAsync(Shop, Name, T0, SecretPrecondition.None);
        Dictionary<string, byte[]> left = Directory.EnumerateFiles(HistoryFolder).Append(DeletedPath).ToDictionary(p => p, File.ReadAllBytes);
        StoredSecret again = await SetAsync(store);
        Assert.That((File.Exists(DeletedPath), Directory.Exists(HistoryFolder)), Is.EqualTo((false, false)), "the set destroyed the deleted secret and its history");

        // As a crash between the rename and the removals leaves it.
        Directory.CreateDirectory(HistoryFolder);
        foreach ((string path, byte[] content) in left)
        {
            File.WriteAllBytes(path, content);
        }

        Assert.Multiple(async () =>
        {
            Assert.That(again.Version, Is.EqualTo(4));
            Assert.That((await store.GetAsync(Shop, Name))!.Version, Is.EqualTo(again.Version));
            Assert.That(await HistoryOf(store), Is.Empty, "the deleted secret's history is not the new secret's");
            Assert.That(await store.ListDeletedAsync(Shop).ToArrayAsync(), Is.Empty, "a deleted record beside the live file does not count");
            Assert.That(await store.RecoverAsync(Shop, Name), Is.Null);
        });

        StoredSecret next = await SetAsync(store);
        Assert.Multiple(async () =>
        {
            Assert.That(next.Version, Is.EqualTo(5));
            Assert.That(await HistoryOf(store), Is.EqualTo(new long[] { 4 }));
            Assert.That(Directory.EnumerateFiles(HistoryFolder).Select(Path.GetFileName), Is.EqualTo(new[] { "4.secret" }), "the next set removed what was left");
            Assert.That(File.Exists(DeletedPath), Is.False);
        });
    }

    [Test]
    public async Task Deleting_a_damaged_live_file_first_removes_an_older_deleted_record_left_beside_it()
    {
        using FileSystemSecretStore store = await OpenAsync();
        StoredSecret first = await SetAsync(store);
        await SetAsync(store);
        WriteDeletedRecord(first, T0);
        File.WriteAllText(LivePath, "damaged");

        Assert.That(await store.DeleteAsync(Shop, Name, T0, SecretPrecondition.None), Is.True);

        Assert.Multiple(async () =>
        {
            Assert.That(await store.ListDeletedAsync(Shop).ToArrayAsync(), Is.Empty, "a damaged secret cannot be recovered, and the older record must not stand in for it");
            Assert.That((await SetAsync(store)).Version, Is.GreaterThan(2), "versions never repeat");
        });
    }

    [Test]
    public async Task A_set_that_fails_part_way_reports_a_store_error_and_leaves_only_files_that_do_not_count()
    {
        using FileSystemSecretStore store = await OpenAsync();
        StoredSecret live = await SetAsync(store);
        string temporary = Path.Combine(Folder.Path, "tmp");
        Directory.Delete(temporary);
        File.WriteAllText(temporary, "not a folder");

        var error = Assert.ThrowsAsync<SecretStoreException>(async () => await SetAsync(store));

        File.Delete(temporary);
        Directory.CreateDirectory(temporary);
        Assert.Multiple(async () =>
        {
            Assert.That(error!.InnerException, Is.InstanceOf<IOException>(), "the file system's error, not an aggregate of the parallel flushes");
            Assert.That((await store.GetAsync(Shop, Name))!.Version, Is.EqualTo(live.Version));
            Assert.That(await HistoryOf(store), Is.Empty, "the older version linked before the failure does not count");
        });
        Assert.That((await SetAsync(store)).Version, Is.EqualTo(live.Version + 1));
        Assert.That(await HistoryOf(store), Is.EqualTo(new[] { live.Version }));
    }

    private async Task<FileSystemSecretStore> OpenAsync()
    {
        var store = new FileSystemSecretStore(Folder.Path);
        await TestKeys.RecordInAsync(store);
        return store;
    }

    private static async Task<StoredSecret> SetAsync(FileSystemSecretStore store, int maxVersions = RootCxVaultOptions.DefaultMaxVersions, string? name = null) =>
        await store.SetAsync(Shop, name is null ? Name : SecretName.Parse(name), TestKeys.FakeEnvelope(Key), Key, T0, SecretPrecondition.None, maxVersions);

    private static async Task<long[]> HistoryOf(FileSystemSecretStore store) => [.. (await store.GetHistoryAsync(Shop, Name)).Select(v => v.Version)];

    private void WriteDeletedRecord(StoredSecret secret, DateTimeOffset deletedAt)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(DeletedPath)!);
        File.WriteAllBytes(DeletedPath, SecretFile.Encode(new SecretRecord(secret, secret.Version, deletedAt)));
    }
}
