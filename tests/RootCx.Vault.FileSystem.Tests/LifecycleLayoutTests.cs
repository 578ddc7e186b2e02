using RootCx.Vault.Storage;
using RootCx.Vault.Testing;

namespace RootCx.Vault.FileSystem.Tests;

/// <summary>Where older versions and deleted secrets live, and that live reads never touch them.</summary>
public class LifecycleLayoutTests : StoreFolderTests
{
    private static readonly SecretScope Shop = SecretScope.ForApp("shop");
    private static readonly MasterKeyId Key = TestKeys.IdOf(TestKeys.Primary);
    private static readonly DateTimeOffset T0 = new(2026, 12, 1, 8, 0, 0, TimeSpan.Zero);

    private string ShopFolder => Path.Combine(Folder.Path, "scopes", "shop");

    [Test]
    public async Task Older_versions_and_deleted_secrets_live_in_subfolders_and_the_scope_folder_holds_only_live_secrets()
    {
        using (FileSystemSecretStore store = await OpenAsync())
        {
            for (int i = 0; i < 3; i++)
            {
                await SetAsync(store, "Api_Key");
            }

            await SetAsync(store, "GONE");
            await store.DeleteAsync(Shop, SecretName.Parse("GONE"), T0, SecretPrecondition.None);
            await SetAsync(store, "PURGED");
            await store.DeleteAsync(Shop, SecretName.Parse("PURGED"), T0, SecretPrecondition.None);
            await store.PurgeAsync(Shop, SecretName.Parse("PURGED"));
        }

        Assert.Multiple(() =>
        {
            Assert.That(RelativeFiles(ShopFolder, SearchOption.TopDirectoryOnly), Is.EqualTo(new[] { "API_KEY.secret", "changes" }), "what a listing reads");
            Assert.That(RelativeFiles(Path.Combine(ShopFolder, "history"), SearchOption.AllDirectories), Is.EqualTo(new[] { "API_KEY/1.secret", "API_KEY/2.secret" }));
            Assert.That(RelativeFiles(Path.Combine(ShopFolder, "deleted"), SearchOption.AllDirectories), Is.EqualTo(new[] { "GONE.secret", "PURGED.purged" }));
        });
    }

    [Test]
    public async Task A_set_keeps_the_file_it_replaces_byte_for_byte_as_the_older_version()
    {
        using FileSystemSecretStore store = await OpenAsync();
        await SetAsync(store, "API_KEY");
        byte[] replaced = File.ReadAllBytes(Path.Combine(ShopFolder, "API_KEY.secret"));
        await SetAsync(store, "API_KEY");

        Assert.That(File.ReadAllBytes(Path.Combine(ShopFolder, "history", "API_KEY", "1.secret")), Is.EqualTo(replaced));
    }

    [Test]
    public async Task A_deleted_secret_keeps_its_record_with_the_deletion_time_and_a_recover_brings_the_live_file_back()
    {
        using FileSystemSecretStore store = await OpenAsync();
        StoredSecret live = await SetAsync(store, "API_KEY");
        await store.DeleteAsync(Shop, SecretName.Parse("API_KEY"), T0.AddDays(1), SecretPrecondition.None);
        string deleted = Path.Combine(ShopFolder, "deleted", "API_KEY.secret");

        SecretRecord record = SecretFile.Decode(Shop, File.ReadAllBytes(deleted), deleted);
        Assert.Multiple(() =>
        {
            Assert.That(File.Exists(Path.Combine(ShopFolder, "API_KEY.secret")), Is.False);
            Assert.That((record.Secret.Version, record.DeletedAt), Is.EqualTo((live.Version, (DateTimeOffset?)T0.AddDays(1))));
            Assert.That(record.Secret.Envelope.ToArray(), Is.EqualTo(live.Envelope.ToArray()));
        });

        await store.RecoverAsync(Shop, SecretName.Parse("API_KEY"));
        Assert.That(RelativeFiles(ShopFolder, SearchOption.AllDirectories), Is.EqualTo(new[] { "API_KEY.secret", "changes" }), "no deleted record left");
    }

    [Test]
    public async Task Live_reads_never_open_an_older_version_or_a_deleted_secret()
    {
        using FileSystemSecretStore store = await OpenAsync();
        await SetAsync(store, "A");
        StoredSecret a = await SetAsync(store, "A");
        await SetAsync(store, "B");
        await store.DeleteAsync(Shop, SecretName.Parse("B"), T0, SecretPrecondition.None);
        foreach (string file in Directory.EnumerateFiles(Path.Combine(ShopFolder, "history"), "*", SearchOption.AllDirectories).Concat(Directory.EnumerateFiles(Path.Combine(ShopFolder, "deleted"))))
        {
            File.WriteAllText(file, "damaged");
        }

        Assert.Multiple(async () =>
        {
            Assert.That((await store.GetAsync(Shop, SecretName.Parse("A")))!.Version, Is.EqualTo(a.Version));
            Assert.That((await store.ListAsync(Shop).ToArrayAsync()).Select(s => s.Name.Value), Is.EqualTo(new[] { "A" }));
            Assert.That(await store.GetChangedScopesAsync(0, long.MaxValue, [Shop]), Is.EqualTo(new[] { Shop }));
        });
    }

    [Test]
    public async Task Dropped_versions_and_purged_secrets_leave_no_file_behind()
    {
        using FileSystemSecretStore store = await OpenAsync();
        for (int i = 0; i < 5; i++)
        {
            await store.SetAsync(Shop, SecretName.Parse("API_KEY"), TestKeys.FakeEnvelope(Key), Key, T0, SecretPrecondition.None, maxVersions: 2);
        }

        Assert.That(RelativeFiles(Path.Combine(ShopFolder, "history"), SearchOption.AllDirectories), Is.EqualTo(new[] { "API_KEY/4.secret" }));

        await store.DeleteAsync(Shop, SecretName.Parse("API_KEY"), T0, SecretPrecondition.None);
        await store.PurgeAsync(Shop, SecretName.Parse("API_KEY"));

        Assert.Multiple(() =>
        {
            Assert.That(Directory.Exists(Path.Combine(ShopFolder, "history", "API_KEY")), Is.False, "the name's history folder goes with it");
            Assert.That(RelativeFiles(Path.Combine(ShopFolder, "deleted"), SearchOption.AllDirectories), Is.EqualTo(new[] { "API_KEY.purged" }));
            Assert.That(Directory.EnumerateFiles(Path.Combine(Folder.Path, "tmp")), Is.Empty);
        });
    }

    private async Task<FileSystemSecretStore> OpenAsync()
    {
        var store = new FileSystemSecretStore(Folder.Path);
        await TestKeys.RecordInAsync(store);
        return store;
    }

    private static async Task<StoredSecret> SetAsync(FileSystemSecretStore store, string name) =>
        await store.SetAsync(Shop, SecretName.Parse(name), TestKeys.FakeEnvelope(Key), Key, T0, SecretPrecondition.None, RootCxVaultOptions.DefaultMaxVersions);

    private static string[] RelativeFiles(string folder, SearchOption search) =>
        [.. Directory.EnumerateFiles(folder, "*", search).Select(p => Path.GetRelativePath(folder, p).Replace('\\', '/')).Order(StringComparer.Ordinal)];
}
