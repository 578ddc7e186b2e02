using RootCx.Vault.Storage;

namespace RootCx.Vault.FileSystem.Tests;

public class DamagedFileTests : StoreFolderTests
{
    private const string Value = "sk_live_damaged_file_value_c41e";
    private static readonly SecretScope Shop = SecretScope.ForApp("shop");

    [TestCaseSource(typeof(FileDamage), nameof(FileDamage.Kinds))]
    public async Task A_damaged_file_names_the_secret_and_the_others_stay_readable(Func<byte[], byte[]> damage)
    {
        await using var vault = new VaultOnFolder(Folder.Path);
        await vault.Vault.SetAsync(Shop, "DAMAGED", Value);
        await vault.Vault.SetAsync(Shop, "HEALTHY", "healthy-value");
        string path = Path.Combine(Folder.Path, "scopes", "shop", "DAMAGED.secret");
        File.WriteAllBytes(path, damage(File.ReadAllBytes(path)));

        var error = Assert.ThrowsAsync<SecretStoreException>(async () => await vault.Reader.GetAsync(Shop, "DAMAGED"));
        using SecretValue? healthy = await vault.Reader.GetAsync(Shop, "HEALTHY");

        Assert.Multiple(() =>
        {
            Assert.That(error!.Message, Does.Contain("DAMAGED.secret").And.Contain("damaged"));
            Assert.That(error.Message, Does.Not.Contain(Value));
            Assert.That(healthy!.RevealString(), Is.EqualTo("healthy-value"));
        });
        Assert.ThrowsAsync<SecretStoreException>(async () => await vault.Vault.ListAsync(Shop), "a listing does not silently skip a damaged secret");
    }

    [Test]
    public async Task A_damaged_file_can_be_replaced_by_setting_the_secret_again()
    {
        await using var vault = new VaultOnFolder(Folder.Path);
        await vault.Vault.SetAsync(Shop, "DAMAGED", Value);
        await vault.Vault.DeleteAsync(Shop, "DAMAGED");
        await vault.Vault.SetAsync(Shop, "DAMAGED", Value);
        File.WriteAllText(Path.Combine(Folder.Path, "scopes", "shop", "DAMAGED.secret"), "garbage");

        Assert.That(await vault.Vault.DeleteAsync(Shop, "DAMAGED"), Is.True);
        await vault.Vault.SetAsync(Shop, "DAMAGED", "fresh");
        using SecretValue? fresh = await vault.Reader.GetAsync(Shop, "DAMAGED");
        Assert.That(fresh!.RevealString(), Is.EqualTo("fresh"));
    }

    [Test]
    public async Task A_secret_file_copied_over_another_name_opens_as_neither_and_is_reported_by_file()
    {
        await using var vault = new VaultOnFolder(Folder.Path);
        await vault.Vault.SetAsync(Shop, "A", Value);
        await vault.Vault.SetAsync(Shop, "B", "b-value");
        string folder = Path.Combine(Folder.Path, "scopes", "shop");
        File.Copy(Path.Combine(folder, "A.secret"), Path.Combine(folder, "B.secret"), overwrite: true);

        var read = Assert.ThrowsAsync<SecretStoreException>(async () => await vault.Reader.GetAsync(Shop, "B"));
        var listed = Assert.ThrowsAsync<SecretStoreException>(async () => await vault.Reader.GetAllAsync(Shop));

        Assert.Multiple(() =>
        {
            Assert.That(read!.Message, Does.Contain("B.secret").And.Contain("damaged"));
            Assert.That(listed!.Message, Does.Contain("B.secret"));
            Assert.That(read.Message + listed.Message, Does.Not.Contain(Value));
        });
        Assert.That(await vault.Vault.DeleteAsync(Shop, "B"), Is.True, "a misplaced record can still be deleted");
        Assert.That((await vault.ReadAllAsync(Shop))["A"], Is.EqualTo(Value));
    }

    [Test]
    public async Task An_envelope_moved_into_another_secrets_record_fails_authentication()
    {
        await using var vault = new VaultOnFolder(Folder.Path);
        await vault.Vault.SetAsync(Shop, "A", Value);
        await vault.Vault.SetAsync(Shop, "B", "b-value");
        string folder = Path.Combine(Folder.Path, "scopes", "shop");
        using var store = new FileSystemSecretStore(Folder.Path);
        StoredSecret a = (await store.GetAsync(Shop, SecretName.Parse("A")))!;
        StoredSecret b = (await store.GetAsync(Shop, SecretName.Parse("B")))!;

        // A well-formed record for B, checksum and all, that carries A's envelope.
        File.WriteAllBytes(Path.Combine(folder, "B.secret"), SecretFile.Encode(new StoredSecret(Shop, b.Name, a.Envelope, a.KeyId, b.CreatedAt, b.UpdatedAt, b.Version)));

        var error = Assert.ThrowsAsync<SecretDecryptionException>(async () => await vault.Reader.GetAsync(Shop, "B"));
        Assert.That(error!.Message, Does.Contain("'B'").And.Not.Contain(Value));
    }
}
