using RootCx.Vault.Storage;
using RootCx.Vault.Testing;

namespace RootCx.Vault.FileSystem.Tests;

/// <summary>
/// <c>Golden/store-layout-2</c> was written through a vault by the build before history and soft delete (commit
/// f2d587d), under <see cref="TestKeys.Primary"/>: <c>shop/Stripe_Key</c> set twice (version 2), <c>shop/OLD_TOKEN</c>
/// set and deleted (a tombstone at version 1), <c>shop/RECREATED</c> set, deleted and set again (version 2, its
/// tombstone beside it) and <c>_platform/SLACK_TOKEN</c>. Today's build opens it in place, with no upgrade: its
/// records are live secrets without history, and its tombstones mean purged.
/// </summary>
public class GoldenLayout2StoreTests : StoreFolderTests
{
    private static readonly SecretScope Shop = SecretScope.ForApp("shop");

    [SetUp]
    public void CopyGoldenLayout2Store() => GoldenStoreFolder.CopyTo("store-layout-2", Folder.Path);

    private string ShopFolder => Path.Combine(Folder.Path, "scopes", "shop");

    [Test]
    public async Task A_layout_2_store_opens_with_its_key_and_its_tombstones_are_purged_names()
    {
        await using var vault = new VaultOnFolder(Folder.Path);

        IReadOnlyList<SecretMetadata> listed = await vault.Vault.ListAsync(Shop);
        Assert.Multiple(async () =>
        {
            Assert.That(await vault.ReadAllAsync(Shop), Is.EqualTo(new Dictionary<string, string>
            {
                ["Stripe_Key"] = "sk_golden_layout_2_v2",
                ["RECREATED"] = "recreated-golden-layout-2-v2",
            }));
            Assert.That(await vault.ReadAllAsync(SecretScope.Platform), Is.EqualTo(new Dictionary<string, string> { ["SLACK_TOKEN"] = "xoxb-golden-layout-2" }));
            Assert.That(listed.Select(s => (s.Name, s.Version)), Is.EquivalentTo(new[] { ("Stripe_Key", 2L), ("RECREATED", 2L) }));
            Assert.That(await vault.Vault.ListDeletedAsync(Shop), Is.Empty, "a layout 2 tombstone holds no envelope: nothing to recover");
            Assert.That((await vault.Vault.ListVersionsAsync(Shop, "Stripe_Key")).Select(v => v.Version), Is.EqualTo(new[] { 2L }), "layout 2 kept no history");
        });
    }

    [Test]
    public async Task A_set_over_a_layout_2_record_keeps_it_as_an_older_version_that_restores()
    {
        await using var vault = new VaultOnFolder(Folder.Path);

        await vault.Vault.SetAsync(Shop, "Stripe_Key", "sk_after_upgrade");
        IReadOnlyList<SecretVersionMetadata> versions = await vault.Vault.ListVersionsAsync(Shop, "Stripe_Key");
        await vault.Vault.RestoreVersionAsync(Shop, "Stripe_Key", 2, SecretPrecondition.IfVersion(3));

        Assert.Multiple(async () =>
        {
            Assert.That(versions.Select(v => (v.Version, v.IsCurrent)), Is.EqualTo(new[] { (3L, true), (2L, false) }));
            Assert.That((await vault.ReadAllAsync(Shop))["Stripe_Key"], Is.EqualTo("sk_golden_layout_2_v2"));
            Assert.That(File.ReadAllBytes(Path.Combine(ShopFolder, "history", "STRIPE_KEY", "2.secret"))[4], Is.EqualTo(SecretFile.Layout2), "the layout 2 file itself, kept");
        });
    }

    [Test]
    public async Task A_name_deleted_by_layout_2_continues_its_version_with_a_history_of_its_own()
    {
        await using var vault = new VaultOnFolder(Folder.Path);

        SecretMetadata again = await vault.Vault.SetAsync(Shop, "OLD_TOKEN", "old-token-again", SecretPrecondition.IfAbsent);

        Assert.Multiple(async () =>
        {
            Assert.That(again.Version, Is.EqualTo(2), "versions never repeat: the tombstone held version 1");
            Assert.That((await vault.Vault.ListVersionsAsync(Shop, "OLD_TOKEN")).Select(v => v.Version), Is.EqualTo(new[] { 2L }));
            Assert.That(File.Exists(Path.Combine(ShopFolder, "OLD_TOKEN.deleted")), Is.True, "layout 2 files are left as they are");
        });
    }

    [Test]
    public async Task Delete_recover_and_purge_work_in_a_layout_2_store()
    {
        await using var vault = new VaultOnFolder(Folder.Path);

        Assert.That(await vault.Vault.DeleteAsync(Shop, "Stripe_Key"), Is.True);
        Assert.That((await vault.Vault.ListDeletedAsync(Shop)).Select(d => (d.Name, d.Version)), Is.EqualTo(new[] { ("Stripe_Key", 2L) }));
        Assert.That(File.Exists(Path.Combine(ShopFolder, "deleted", "STRIPE_KEY.secret")), Is.True);

        Assert.That(await vault.Vault.RecoverAsync(Shop, "Stripe_Key"), Is.Not.Null);
        Assert.That((await vault.ReadAllAsync(Shop))["Stripe_Key"], Is.EqualTo("sk_golden_layout_2_v2"));

        // RECREATED has a layout 2 tombstone (version 1) beside its live record (version 2).
        await vault.Vault.DeleteAsync(Shop, "RECREATED");
        Assert.That(await vault.Vault.PurgeAsync(Shop, "RECREATED"), Is.True);
        SecretMetadata recreated = await vault.Vault.SetAsync(Shop, "RECREATED", "recreated-after-purge");

        Assert.Multiple(async () =>
        {
            Assert.That(recreated.Version, Is.EqualTo(3));
            Assert.That(await vault.Vault.ListDeletedAsync(Shop), Is.Empty);
            Assert.That(File.Exists(Path.Combine(ShopFolder, "deleted", "RECREATED.purged")), Is.True);
            Assert.That((await vault.ReadAllAsync(Shop)).Keys, Is.EquivalentTo(new[] { "Stripe_Key", "RECREATED" }));
        });
    }

    [Test]
    public async Task The_store_level_view_of_a_layout_2_store_is_its_secrets_and_their_key()
    {
        using var store = new FileSystemSecretStore(Folder.Path);

        Assert.Multiple(async () =>
        {
            Assert.That(await store.ListScopesAsync().ToArrayAsync(), Is.EquivalentTo(new[] { Shop, SecretScope.Platform }));
            Assert.That(await store.GetKeyIdsAsync(), Is.EquivalentTo(new[] { TestKeys.IdOf(TestKeys.Primary) }));
            Assert.That(await store.ListHistoryAsync(Shop).ToArrayAsync(), Is.Empty);
            Assert.That(await store.RemoveKeyIdAsync(TestKeys.IdOf(TestKeys.Primary)), Is.False, "its envelopes are sealed under it");
        });
    }
}
