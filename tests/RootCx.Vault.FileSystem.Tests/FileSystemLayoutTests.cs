using RootCx.Vault.Testing;

namespace RootCx.Vault.FileSystem.Tests;

public class FileSystemLayoutTests : StoreFolderTests
{
    private const string Value = "sk_live_layout_value_7a2d";
    [Test]
    public async Task Secrets_live_in_one_file_each_named_by_scope_and_upper_cased_name()
    {
        await using (var vault = new VaultOnFolder(Folder.Path))
        {
            await vault.Vault.SetAsync(SecretScope.ForApp("shop"), "Stripe_Key", Value);
            await vault.Vault.SetAsync(SecretScope.Platform, "SLACK_TOKEN", Value);
        }

        string[] relative = [.. Folder.AllFiles.Select(p => Path.GetRelativePath(Folder.Path, p)).Order()];
        Assert.That(relative, Is.EqualTo(new[] { "audit/events.log", "audit/lock", "changes", "keys", "lock", "scopes/_platform/changes", "scopes/_platform/SLACK_TOKEN.secret", "scopes/shop/changes", "scopes/shop/STRIPE_KEY.secret" }));
    }

    [Test]
    [Platform(Exclude = "Win")]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task Every_file_and_folder_is_owner_only()
    {
        var shop = SecretScope.ForApp("shop");
        await using (var vault = new VaultOnFolder(Folder.Path))
        {
            // A live secret with an older version, a deleted secret and a purged one: every kind of file and folder.
            await vault.Vault.SetAsync(shop, "API_KEY", Value);
            await vault.Vault.SetAsync(shop, "API_KEY", Value);
            foreach (string name in new[] { "DELETED", "PURGED" })
            {
                await vault.Vault.SetAsync(shop, name, Value);
                await vault.Vault.DeleteAsync(shop, name);
            }

            await vault.Vault.PurgeAsync(shop, "PURGED");
        }

        Assert.That(Folder.AllFiles.Select(p => Path.GetRelativePath(Folder.Path, p)), Is.SupersetOf(new[] { "scopes/shop/history/API_KEY/1.secret", "scopes/shop/deleted/DELETED.secret", "scopes/shop/deleted/PURGED.purged" }));
        const UnixFileMode File600 = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        Assert.Multiple(() =>
        {
            foreach (string file in Folder.AllFiles)
            {
                Assert.That(File.GetUnixFileMode(file), Is.EqualTo(File600), file);
            }

            foreach (string directory in Directory.EnumerateDirectories(Folder.Path, "*", SearchOption.AllDirectories))
            {
                Assert.That(File.GetUnixFileMode(directory), Is.EqualTo(File600 | UnixFileMode.UserExecute), directory);
            }
        });
    }

    [Test]
    public async Task The_change_version_is_read_without_reading_any_secret()
    {
        using var store = new FileSystemSecretStore(Folder.Path);
        await TestKeys.RecordInAsync(store);
        await store.SetAsync(SecretScope.ForApp("shop"), SecretName.Parse("A"), TestKeys.FakeEnvelope(TestKeys.IdOf(TestKeys.Primary)), TestKeys.IdOf(TestKeys.Primary), DateTimeOffset.UtcNow, SecretPrecondition.None, RootCxVaultOptions.DefaultMaxVersions);
        long version = await store.GetChangeVersionAsync();

        foreach (string secretFile in Folder.AllFiles.Where(p => p.EndsWith(".secret", StringComparison.Ordinal)))
        {
            File.WriteAllText(secretFile, "damaged");
        }

        Assert.That(await store.GetChangeVersionAsync(), Is.EqualTo(version));
    }

    [Test]
    public async Task Another_store_instance_on_the_same_folder_sees_changes_at_once()
    {
        using var writer = new FileSystemSecretStore(Folder.Path);
        using var watcher = new FileSystemSecretStore(Folder.Path);
        await TestKeys.RecordInAsync(writer);
        long before = await watcher.GetChangeVersionAsync();

        await writer.SetAsync(SecretScope.Platform, SecretName.Parse("TOKEN"), TestKeys.FakeEnvelope(TestKeys.IdOf(TestKeys.Primary)), TestKeys.IdOf(TestKeys.Primary), DateTimeOffset.UtcNow, SecretPrecondition.None, RootCxVaultOptions.DefaultMaxVersions);

        Assert.That(await watcher.GetChangeVersionAsync(), Is.GreaterThan(before));
        Assert.That(await watcher.GetAsync(SecretScope.Platform, SecretName.Parse("token")), Is.Not.Null);
    }

    [Test]
    public async Task A_wrong_key_changes_nothing_and_a_stray_temporary_file_goes_at_the_first_accepted_write()
    {
        var shop = SecretScope.ForApp("shop");
        await using (var vault = new VaultOnFolder(Folder.Path))
        {
            await vault.Vault.SetAsync(shop, "A", Value);
        }

        string stray = Path.Combine(Folder.Path, "tmp", "0123456789abcdef.tmp");
        File.WriteAllText(stray, "half a secret");
        Dictionary<string, byte[]> before = Folder.AllFiles.ToDictionary(p => p, File.ReadAllBytes);

        await using (var wrong = new VaultOnFolder(Folder.Path, TestKeys.Secondary))
        {
            Assert.ThrowsAsync<MasterKeyException>(async () => await wrong.Vault.SetAsync(shop, "A", "overwrite"));
            Assert.ThrowsAsync<MasterKeyException>(async () => await wrong.Vault.DeleteAsync(shop, "A"));
        }

        Assert.That(Folder.AllFiles.ToDictionary(p => p, File.ReadAllBytes), Is.EquivalentTo(before), "the refused process changed no file");

        await using (var right = new VaultOnFolder(Folder.Path))
        {
            await right.Vault.SetAsync(shop, "B", Value);
        }

        Assert.That(File.Exists(stray), Is.False);
    }

    [Test]
    public async Task A_store_written_before_the_key_record_existed_gets_one_built_from_its_envelopes()
    {
        using (var store = new FileSystemSecretStore(Folder.Path))
        {
            await TestKeys.RecordInAsync(store);
            await store.SetAsync(SecretScope.ForApp("shop"), SecretName.Parse("A"), TestKeys.FakeEnvelope(TestKeys.IdOf(TestKeys.Primary)), TestKeys.IdOf(TestKeys.Primary), DateTimeOffset.UtcNow, SecretPrecondition.None, RootCxVaultOptions.DefaultMaxVersions);
        }

        // As an older version left it: no key record, and a folder no namespace maps to.
        File.Delete(Path.Combine(Folder.Path, "keys"));
        Directory.CreateDirectory(Path.Combine(Folder.Path, "scopes", "Not A Namespace"));

        using var upgraded = new FileSystemSecretStore(Folder.Path);
        Assert.That(await upgraded.GetKeyIdsAsync(), Is.EquivalentTo(new[] { TestKeys.IdOf(TestKeys.Primary) }));
        Assert.That(File.Exists(Path.Combine(Folder.Path, "keys")), Is.True, "built once, then read");
    }

    [Test]
    public async Task A_damaged_key_record_is_reported_by_name_and_nothing_is_written()
    {
        await using (var vault = new VaultOnFolder(Folder.Path))
        {
            await vault.Vault.SetAsync(SecretScope.ForApp("shop"), "A", Value);
        }

        string keys = Path.Combine(Folder.Path, "keys");
        byte[] record = File.ReadAllBytes(keys);
        string secretFile = Path.Combine(Folder.Path, "scopes", "shop", "A.secret");
        byte[] secret = File.ReadAllBytes(secretFile);
        File.WriteAllText(keys, "garbage");

        await using var reopened = new VaultOnFolder(Folder.Path);
        var error = Assert.ThrowsAsync<SecretStoreException>(async () => await reopened.Vault.SetAsync(SecretScope.ForApp("shop"), "A", "overwrite"));
        Assert.That(error!.Message, Does.Contain(keys).And.Contain("damaged"));
        Assert.That(File.ReadAllBytes(secretFile), Is.EqualTo(secret));

        // Not a key mismatch: once the record is restored, the same vault goes on without a restart.
        File.WriteAllBytes(keys, record);
        Assert.That((await reopened.ReadAllAsync(SecretScope.ForApp("shop")))["A"], Is.EqualTo(Value));
    }

    [Test]
    public async Task A_write_that_failed_to_take_the_lock_is_never_applied_by_a_later_batch()
    {
        var shop = SecretScope.ForApp("shop");
        using var store = new FileSystemSecretStore(Folder.Path);
        await TestKeys.RecordInAsync(store);
        string lockFile = Path.Combine(Folder.Path, "lock");
        File.Delete(lockFile);
        Directory.CreateDirectory(lockFile);

        Assert.CatchAsync(async () => await store.SetAsync(shop, SecretName.Parse("STALE"), TestKeys.FakeEnvelope(TestKeys.IdOf(TestKeys.Primary)), TestKeys.IdOf(TestKeys.Primary), DateTimeOffset.UtcNow, SecretPrecondition.None, RootCxVaultOptions.DefaultMaxVersions));
        Directory.Delete(lockFile);
        await store.SetAsync(shop, SecretName.Parse("LATER"), TestKeys.FakeEnvelope(TestKeys.IdOf(TestKeys.Primary)), TestKeys.IdOf(TestKeys.Primary), DateTimeOffset.UtcNow, SecretPrecondition.None, RootCxVaultOptions.DefaultMaxVersions);

        Assert.That(await store.GetAsync(shop, SecretName.Parse("STALE")), Is.Null, "the caller was told it failed");
    }

    [Test]
    public void The_store_names_its_folder_in_ToString()
    {
        using var store = new FileSystemSecretStore(Folder.Path);
        Assert.That(store.ToString(), Is.EqualTo($"FileSystemSecretStore({Folder.Path})"));
    }
}
