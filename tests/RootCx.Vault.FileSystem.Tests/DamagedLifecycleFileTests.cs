using Microsoft.Extensions.Logging.Testing;
using RootCx.Vault.Storage;
using RootCx.Vault.Testing;

namespace RootCx.Vault.FileSystem.Tests;

/// <summary>Damaged or misplaced history and deleted-secret files: reported by path, never by content, and no live read depends on them.</summary>
public class DamagedLifecycleFileTests : StoreFolderTests
{
    private const string Value = "sk_live_damaged_lifecycle_value_9b3e";
    private static readonly SecretScope Shop = SecretScope.ForApp("shop");
    private static readonly DateTimeOffset T0 = new(2026, 12, 1, 8, 0, 0, TimeSpan.Zero);

    private string ShopFolder => Path.Combine(Folder.Path, "scopes", "shop");

    [TestCaseSource(typeof(FileDamage), nameof(FileDamage.Kinds))]
    public async Task A_damaged_older_version_is_reported_by_path_and_the_secret_stays_usable(Func<byte[], byte[]> damage)
    {
        await using var vault = new VaultOnFolder(Folder.Path);
        await vault.Vault.SetAsync(Shop, "DAMAGED", Value);
        await vault.Vault.SetAsync(Shop, "DAMAGED", "newer");
        string path = Path.Combine(ShopFolder, "history", "DAMAGED", "1.secret");
        using var store = new FileSystemSecretStore(Folder.Path);
        byte[] envelope = (await store.GetHistoryAsync(Shop, SecretName.Parse("DAMAGED")))[0].Envelope.ToArray();
        File.WriteAllBytes(path, damage(File.ReadAllBytes(path)));

        var error = Assert.ThrowsAsync<SecretStoreException>(async () => await vault.Vault.ListVersionsAsync(Shop, "DAMAGED"));

        Assert.Multiple(async () =>
        {
            Assert.That(error!.Message, Does.Contain(path).And.Contain("damaged"));
            AssertHoldsNoContent(error.Message, envelope);
            Assert.That((await vault.ReadAllAsync(Shop))["DAMAGED"], Is.EqualTo("newer"), "live reads never open history");
            Assert.That((await vault.Vault.SetAsync(Shop, "DAMAGED", "newest")).Version, Is.EqualTo(3), "a set reads history by file name only");
        });
    }

    [TestCaseSource(typeof(FileDamage), nameof(FileDamage.Kinds))]
    public async Task A_damaged_deleted_secret_is_reported_by_path_and_the_others_stay_readable(Func<byte[], byte[]> damage)
    {
        await using var vault = new VaultOnFolder(Folder.Path);
        await vault.Vault.SetAsync(Shop, "DAMAGED", Value);
        await vault.Vault.SetAsync(Shop, "HEALTHY", "healthy-value");
        await vault.Vault.DeleteAsync(Shop, "DAMAGED");
        string path = Path.Combine(ShopFolder, "deleted", "DAMAGED.secret");
        using var store = new FileSystemSecretStore(Folder.Path);
        byte[] envelope = (await store.ListDeletedAsync(Shop).ToArrayAsync())[0].Secret.Envelope.ToArray();
        File.WriteAllBytes(path, damage(File.ReadAllBytes(path)));

        var listed = Assert.ThrowsAsync<SecretStoreException>(async () => await vault.Vault.ListDeletedAsync(Shop));
        var recovered = Assert.ThrowsAsync<SecretStoreException>(async () => await vault.Vault.RecoverAsync(Shop, "DAMAGED"));

        Assert.Multiple(async () =>
        {
            foreach (SecretStoreException? error in new[] { listed, recovered })
            {
                Assert.That(error!.Message, Does.Contain(path).And.Contain("damaged"));
                AssertHoldsNoContent(error.Message, envelope);
            }

            Assert.That(await vault.ReadAllAsync(Shop), Is.EqualTo(new Dictionary<string, string> { ["HEALTHY"] = "healthy-value" }));
            Assert.That((await vault.Vault.ListAsync(Shop)).Select(s => s.Name), Is.EqualTo(new[] { "HEALTHY" }));
        });
    }

    [TestCaseSource(typeof(FileDamage), nameof(FileDamage.Kinds))]
    public async Task Purging_expired_secrets_skips_a_damaged_deleted_file_logging_its_path_and_purges_the_others(Func<byte[], byte[]> damage)
    {
        var logs = new FakeLogCollector();
        using var store = new FileSystemSecretStore(Folder.Path, logger: new FakeLogger<FileSystemSecretStore>(logs));
        await TestKeys.RecordInAsync(store);
        await SetAsync(store, "DAMAGED", 2);
        await SetAsync(store, "OTHER", 2);
        await store.DeleteAsync(Shop, SecretName.Parse("DAMAGED"), T0, SecretPrecondition.None);
        await store.DeleteAsync(Shop, SecretName.Parse("OTHER"), T0, SecretPrecondition.None);
        string path = Path.Combine(ShopFolder, "deleted", "DAMAGED.secret");
        byte[] envelope = SecretFile.Decode(Shop, File.ReadAllBytes(path), path).Secret.Envelope.ToArray();
        File.WriteAllBytes(path, damage(File.ReadAllBytes(path)));

        IReadOnlyList<DeletedSecret> purged = await store.PurgeDeletedAsync(DateTimeOffset.MaxValue);

        FakeLogRecord[] skipped = [.. logs.GetSnapshot().Where(r => r.Id.Id == 103)];
        Assert.Multiple(() =>
        {
            Assert.That(purged.Select(d => d.Secret.Name.Value), Is.EqualTo(new[] { "OTHER" }));
            Assert.That(File.Exists(Path.Combine(ShopFolder, "deleted", "OTHER.secret")), Is.False);
            Assert.That(Directory.Exists(Path.Combine(ShopFolder, "history", "OTHER")), Is.False);
            Assert.That(File.Exists(path), Is.True, "a damaged file is left for the operator");
            Assert.That(Directory.EnumerateFiles(Path.Combine(ShopFolder, "history", "DAMAGED")), Is.Not.Empty, "nor is its history touched");
            Assert.That(skipped, Has.Length.EqualTo(1));
            Assert.That(skipped[0].Message, Does.Contain(path).And.Contain("damaged"));
            AssertHoldsNoContent(skipped[0].Message, envelope);
        });
    }

    [TestCaseSource(typeof(FileDamage), nameof(FileDamage.Kinds))]
    public async Task Purging_a_damaged_deleted_secret_by_name_removes_it_and_its_history_and_no_version_repeats(Func<byte[], byte[]> damage)
    {
        using var store = new FileSystemSecretStore(Folder.Path);
        await TestKeys.RecordInAsync(store);
        StoredSecret last = await SetAsync(store, "DAMAGED", 3);
        await store.DeleteAsync(Shop, SecretName.Parse("DAMAGED"), T0, SecretPrecondition.None);
        string path = Path.Combine(ShopFolder, "deleted", "DAMAGED.secret");
        File.WriteAllBytes(path, damage(File.ReadAllBytes(path)));

        DeletedSecret? purged = await store.PurgeAsync(Shop, SecretName.Parse("DAMAGED"));

        Assert.Multiple(async () =>
        {
            Assert.That(purged, Is.Null, "there is no deleted secret to return");
            Assert.That(File.Exists(path), Is.False);
            Assert.That(Directory.Exists(Path.Combine(ShopFolder, "history", "DAMAGED")), Is.False);
            Assert.That(await store.ListDeletedAsync(Shop).ToArrayAsync(), Is.Empty, "the store reads cleanly again");
            Assert.That(File.Exists(Path.Combine(ShopFolder, "deleted", "DAMAGED.purged")), Is.True);
            Assert.That((await SetAsync(store, "DAMAGED", 1)).Version, Is.GreaterThan(last.Version), "versions never repeat");
            Assert.That(await store.GetHistoryAsync(Shop, SecretName.Parse("DAMAGED")), Is.Empty);
        });
    }

    [Test]
    public async Task An_older_version_copied_to_another_version_s_place_is_reported_by_path()
    {
        await using var vault = new VaultOnFolder(Folder.Path);
        for (int i = 0; i < 3; i++)
        {
            await vault.Vault.SetAsync(Shop, "A", $"{Value}-{i}");
        }

        string history = Path.Combine(ShopFolder, "history", "A");
        File.Copy(Path.Combine(history, "1.secret"), Path.Combine(history, "2.secret"), overwrite: true);

        var error = Assert.ThrowsAsync<SecretStoreException>(async () => await vault.Vault.ListVersionsAsync(Shop, "A"));
        Assert.That(error!.Message, Does.Contain(Path.Combine(history, "2.secret")).And.Contain("damaged").And.Not.Contain(Value));
    }

    [Test]
    public async Task A_live_record_moved_into_the_deleted_folder_is_reported_by_path()
    {
        await using var vault = new VaultOnFolder(Folder.Path);
        await vault.Vault.SetAsync(Shop, "A", Value);
        Directory.CreateDirectory(Path.Combine(ShopFolder, "deleted"));
        string moved = Path.Combine(ShopFolder, "deleted", "A.secret");
        File.Move(Path.Combine(ShopFolder, "A.secret"), moved);

        var error = Assert.ThrowsAsync<SecretStoreException>(async () => await vault.Vault.ListDeletedAsync(Shop));
        Assert.That(error!.Message, Does.Contain(moved).And.Contain("live secret's record"));
    }

    private static async Task<StoredSecret> SetAsync(FileSystemSecretStore store, string name, int times)
    {
        MasterKeyId key = TestKeys.IdOf(TestKeys.Primary);
        StoredSecret written = null!;
        for (int i = 0; i < times; i++)
        {
            written = await store.SetAsync(Shop, SecretName.Parse(name), TestKeys.FakeEnvelope(key, 48), key, T0, SecretPrecondition.None, RootCxVaultOptions.DefaultMaxVersions);
        }

        return written;
    }

    private static void AssertHoldsNoContent(string message, byte[] envelope)
    {
        Assert.That(message, Does.Not.Contain(Value));
        Assert.That(message, Does.Not.Contain(Convert.ToBase64String(envelope)).And.Not.Contain(Convert.ToHexString(envelope)).IgnoreCase);
    }
}
