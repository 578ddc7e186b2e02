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
        Assert.That(relative, Is.EqualTo(new[] { "changes", "lock", "scopes/_platform/SLACK_TOKEN.secret", "scopes/shop/STRIPE_KEY.secret" }));
    }

    [Test]
    [Platform(Exclude = "Win")]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task Every_file_and_folder_is_owner_only()
    {
        await using (var vault = new VaultOnFolder(Folder.Path))
        {
            await vault.Vault.SetAsync(SecretScope.ForApp("shop"), "API_KEY", Value);
        }

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
        await store.SetAsync(SecretScope.ForApp("shop"), SecretName.Parse("A"), TestKeys.FakeEnvelope(TestKeys.IdOf(TestKeys.Primary)), DateTimeOffset.UtcNow);
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
        long before = await watcher.GetChangeVersionAsync();

        await writer.SetAsync(SecretScope.Platform, SecretName.Parse("TOKEN"), TestKeys.FakeEnvelope(TestKeys.IdOf(TestKeys.Primary)), DateTimeOffset.UtcNow);

        Assert.That(await watcher.GetChangeVersionAsync(), Is.GreaterThan(before));
        Assert.That(await watcher.GetAsync(SecretScope.Platform, SecretName.Parse("token")), Is.Not.Null);
    }

    [Test]
    public void A_stray_temporary_file_from_a_dead_writer_is_removed_when_the_store_opens()
    {
        using (new FileSystemSecretStore(Folder.Path))
        {
        }

        string stray = Path.Combine(Folder.Path, "tmp", "0123456789abcdef.tmp");
        File.WriteAllText(stray, "half a secret");

        using var reopened = new FileSystemSecretStore(Folder.Path);
        Assert.That(File.Exists(stray), Is.False);
    }

    [Test]
    public async Task A_stray_folder_under_scopes_does_not_stop_the_key_check()
    {
        using var store = new FileSystemSecretStore(Folder.Path);
        await store.SetAsync(SecretScope.ForApp("shop"), SecretName.Parse("A"), TestKeys.FakeEnvelope(TestKeys.IdOf(TestKeys.Primary)), DateTimeOffset.UtcNow);
        Directory.CreateDirectory(Path.Combine(Folder.Path, "scopes", "Not A Namespace"));

        Assert.That(await store.GetKeyIdsInUseAsync(), Is.EquivalentTo(new[] { TestKeys.IdOf(TestKeys.Primary) }));
    }

    [Test]
    public void The_store_names_its_folder_in_ToString()
    {
        using var store = new FileSystemSecretStore(Folder.Path);
        Assert.That(store.ToString(), Is.EqualTo($"FileSystemSecretStore({Folder.Path})"));
    }
}
