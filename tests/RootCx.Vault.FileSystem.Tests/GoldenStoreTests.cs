using RootCx.Vault.Storage;
using RootCx.Vault.Testing;

namespace RootCx.Vault.FileSystem.Tests;

/// <summary>
/// Stores written by earlier builds stay readable forever. <c>Golden/store-layout-1</c> was written by the build
/// before record layout 2 (commit c09f37c), under <see cref="TestKeys.Primary"/>; its records have no key id field.
/// </summary>
public class GoldenStoreTests : StoreFolderTests
{
    private static readonly SecretScope Shop = SecretScope.ForApp("shop");

    [SetUp]
    public void CopyGoldenLayout1Store() => GoldenStoreFolder.CopyTo("store-layout-1", Folder.Path);

    [Test]
    public async Task A_layout_1_store_opens_with_its_key()
    {
        await using var vault = new VaultOnFolder(Folder.Path);

        Assert.Multiple(async () =>
        {
            Assert.That(await vault.ReadAllAsync(Shop), Is.EqualTo(new Dictionary<string, string> { ["Stripe_Key"] = "sk_golden_layout_1_value" }));
            Assert.That(await vault.ReadAllAsync(SecretScope.Platform), Is.EqualTo(new Dictionary<string, string> { ["SLACK_TOKEN"] = "xoxb-golden-layout-1" }));
        });
    }

    [Test]
    public async Task A_layout_1_record_takes_its_key_id_from_its_envelope_header()
    {
        using var store = new FileSystemSecretStore(Folder.Path);

        StoredSecret secret = (await store.GetAsync(Shop, SecretName.Parse("STRIPE_KEY")))!;

        Assert.That(secret.KeyId, Is.EqualTo(TestKeys.IdOf(TestKeys.Primary)));
    }

    [Test]
    public async Task A_write_over_a_layout_1_record_writes_layout_3_with_the_key_id_field_and_keeps_the_old_record_as_history()
    {
        string path = Path.Combine(Folder.Path, "scopes", "shop", "STRIPE_KEY.secret");
        await using (var vault = new VaultOnFolder(Folder.Path))
        {
            await vault.Vault.SetAsync(Shop, "Stripe_Key", "sk_rewritten");
            Assert.That(await vault.ReadAllAsync(Shop), Is.EqualTo(new Dictionary<string, string> { ["Stripe_Key"] = "sk_rewritten" }));

            // The layout 1 record, now an older version, still opens: restoring it brings its value back.
            await vault.Vault.RestoreVersionAsync(Shop, "Stripe_Key", 1, SecretPrecondition.None);
            Assert.That((await vault.ReadAllAsync(Shop))["Stripe_Key"], Is.EqualTo("sk_golden_layout_1_value"));
        }

        byte[] content = File.ReadAllBytes(path);
        Assert.Multiple(() =>
        {
            Assert.That(content[4], Is.EqualTo(SecretFile.Layout3));
            Assert.That(BitConverter.ToUInt32(content, 29), Is.EqualTo(TestKeys.IdOf(TestKeys.Primary).Value), "the key id field follows the three 8-byte fields");
            Assert.That(File.ReadAllBytes(Path.Combine(Folder.Path, "scopes", "shop", "history", "STRIPE_KEY", "1.secret"))[4], Is.EqualTo(SecretFile.Layout1), "kept as it was");
        });
    }
}
