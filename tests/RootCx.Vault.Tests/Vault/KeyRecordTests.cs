using Microsoft.Extensions.DependencyInjection;
using RootCx.Vault.Cryptography;
using RootCx.Vault.Storage;
using RootCx.Vault.Testing;

namespace RootCx.Vault.Tests.Vault;

/// <summary>The start-up key check against the store's key record, without a generic host (first use runs it).</summary>
public class KeyRecordTests
{
    private static readonly SecretScope Shop = SecretScope.ForApp("shop");
    private static readonly MasterKeyId Primary = TestKeys.IdOf(TestKeys.Primary);
    private static readonly MasterKeyId Secondary = TestKeys.IdOf(TestKeys.Secondary);

    [Test]
    public async Task An_empty_store_is_set_up_with_the_first_key_and_refuses_another_before_it_holds_any_secret()
    {
        var store = new InMemorySecretStore();
        await using (var first = new VaultHarness(TestKeys.Primary, store))
        {
            Assert.That(await first.Vault.ListAsync(Shop), Is.Empty);
        }

        await using var other = new VaultHarness(TestKeys.Secondary, store);
        var error = Assert.ThrowsAsync<MasterKeyException>(async () => await other.Vault.SetAsync(Shop, "API_KEY", "v"));

        Assert.That(error!.Message, Does.Contain(Primary.ToString()).And.Contain(Secondary.ToString()));
        Assert.That(await store.GetKeyIdsAsync(), Is.EquivalentTo(new[] { Primary }));
        Assert.That(await store.ListAsync(Shop).ToArrayAsync(), Is.Empty);
    }

    [Test]
    public async Task Of_two_hosts_with_their_own_key_file_folder_on_one_store_the_second_is_refused_and_creates_no_key()
    {
        var store = new InMemorySecretStore();
        using var folders = new TemporaryFolders();
        await using var first = VaultWithKeyFile(store, folders.New());
        await using var second = VaultWithKeyFile(store, folders.New());

        await first.GetRequiredService<ISecretVault>().SetAsync(Shop, "API_KEY", "first");
        var error = Assert.ThrowsAsync<MasterKeyException>(async () => await second.GetRequiredService<ISecretVault>().SetAsync(Shop, "API_KEY", "second"));

        // The second host finds a store set up under another key: it says so, and creates no key of its own.
        using MasterKey firstKey = MasterKeyFile.Read(Path.Combine(folders.Paths[0], "config", "master.key"));
        string secondKeyFile = Path.Combine(folders.Paths[1], "config", "master.key");
        Assert.That(error!.Message, Does.Contain($"set up with master key id(s) {firstKey.Id}").And.Contain(secondKeyFile));
        Assert.That(File.Exists(secondKeyFile), Is.False);
        Assert.That(await store.GetKeyIdsAsync(), Is.EquivalentTo(new[] { firstKey.Id }));
        await using var again = VaultWithKeyFile(store, folders.Paths[0]);
        using SecretValue? kept = await again.GetRequiredService<ISecretReader>().GetAsync(Shop, "API_KEY");
        Assert.That(kept!.RevealString(), Is.EqualTo("first"));
    }

    [Test]
    public async Task A_vault_whose_key_check_failed_refuses_every_operation_deletes_included()
    {
        var store = new InMemorySecretStore();
        await using (var owner = new VaultHarness(TestKeys.Primary, store))
        {
            await owner.Vault.SetAsync(Shop, "API_KEY", "kept");
        }

        await using var wrong = new VaultHarness(TestKeys.Secondary, store);
        Assert.Multiple(() =>
        {
            Assert.ThrowsAsync<MasterKeyException>(async () => await wrong.Vault.DeleteAsync(Shop, "API_KEY"));
            Assert.ThrowsAsync<MasterKeyException>(async () => await wrong.Vault.ListAsync(Shop));
            Assert.ThrowsAsync<MasterKeyException>(async () => await wrong.Vault.SetAsync(Shop, "API_KEY", "overwrite"));
            Assert.ThrowsAsync<MasterKeyException>(async () => await wrong.Vault.RotateAsync());
            Assert.ThrowsAsync<MasterKeyException>(async () => await wrong.Reader.GetAllAsync(Shop));
        });
        Assert.That((await store.GetAsync(Shop, SecretName.Parse("API_KEY")))!.Version, Is.EqualTo(1), "nothing changed");
    }

    [Test]
    public async Task A_store_that_was_down_at_first_use_is_asked_again_once_it_is_back()
    {
        var store = new OutageStore(new InMemorySecretStore());
        var services = new ServiceCollection();
        services.AddRootCxVault(o =>
        {
            o.MasterKey = TestKeys.Primary;
            o.ReadMasterKeyFromEnvironment = false;
        });
        services.AddSingleton<ISecretStore>(store);
        await using ServiceProvider provider = services.BuildServiceProvider();
        var vault = provider.GetRequiredService<ISecretVault>();

        store.Down = true;
        Assert.ThrowsAsync<TimeoutException>(async () => await vault.SetAsync(Shop, "API_KEY", "v"));
        Assert.ThrowsAsync<TimeoutException>(async () => await vault.SetAsync(Shop, "API_KEY", "v"), "still down: asked again, failed again");
        store.Down = false;

        SecretMetadata written = await vault.SetAsync(Shop, "API_KEY", "v");
        Assert.That(written.Version, Is.EqualTo(1));
    }

    [Test]
    public async Task A_ring_holding_every_recorded_key_brings_in_a_new_active_key_and_rotation_retires_the_old_one()
    {
        var store = new InMemorySecretStore();
        await using (var old = new VaultHarness(TestKeys.Secondary, store))
        {
            await old.Vault.SetAsync(Shop, "API_KEY", "v");
        }

        await using (var rotating = new VaultHarness(TestKeys.Primary, store, null, TestKeys.Secondary))
        {
            await rotating.Vault.ListAsync(Shop);
            Assert.That(await store.GetKeyIdsAsync(), Is.EquivalentTo(new[] { Primary, Secondary }), "the new key is recorded before it seals anything");
            await rotating.Vault.RotateAsync();
        }

        Assert.That(await store.GetKeyIdsAsync(), Is.EquivalentTo(new[] { Primary }));
        await using var stale = new VaultHarness(TestKeys.Secondary, store);
        Assert.ThrowsAsync<MasterKeyException>(async () => await stale.Vault.ListAsync(Shop), "the retired key alone opens nothing any more");
    }

    [Test]
    public async Task A_host_still_running_on_a_retired_key_cannot_write_under_it()
    {
        var store = new InMemorySecretStore();
        await using var old = new VaultHarness(TestKeys.Secondary, store);
        await old.Vault.SetAsync(Shop, "API_KEY", "before");
        await using var rotating = new VaultHarness(TestKeys.Primary, store, null, TestKeys.Secondary);
        await rotating.Vault.RotateAsync();

        Assert.ThrowsAsync<SecretStoreException>(async () => await old.Vault.SetAsync(Shop, "API_KEY", "after"));
        using SecretValue? value = await rotating.Reader.GetAsync(Shop, "API_KEY");
        Assert.That(value!.RevealString(), Is.EqualTo("before"));
    }

    [Test]
    public async Task The_vault_works_without_logging_registered()
    {
        var services = new ServiceCollection();
        services.AddRootCxVault(o =>
        {
            o.MasterKey = TestKeys.Primary;
            o.ReadMasterKeyFromEnvironment = false;
        }).UseStore<InMemorySecretStore>();
        await using ServiceProvider provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });

        await provider.GetRequiredService<ISecretVault>().SetAsync(Shop, "API_KEY", "v");
        using SecretEnvironment environment = await provider.GetRequiredService<ISecretInjector>().BuildEnvironmentAsync("shop");
        Assert.That(environment.Names, Is.EqualTo(new[] { "API_KEY" }));
    }

    private static ServiceProvider VaultWithKeyFile(InMemorySecretStore store, string folder)
    {
        var services = new ServiceCollection();
        services.AddRootCxVault(o =>
        {
            o.ReadMasterKeyFromEnvironment = false;
            o.KeyFilePath = Path.Combine(folder, "config", "master.key");
        });
        services.AddSingleton<ISecretStore>(store);
        return services.BuildServiceProvider();
    }

    /// <summary>Temporary folders, deleted with it.</summary>
    private sealed class TemporaryFolders : IDisposable
    {
        public List<string> Paths { get; } = [];

        public string New()
        {
            Paths.Add(Directory.CreateTempSubdirectory("rootcx-keyrecord-").FullName);
            return Paths[^1];
        }

        public void Dispose() => Paths.ForEach(p => Directory.Delete(p, recursive: true));
    }

    /// <summary>A store whose every call times out while <see cref="Down"/> is set, as a database that is restarting.</summary>
    private sealed class OutageStore(ISecretStore inner) : ISecretStore
    {
        public bool Down { get; set; }

        public ValueTask<StoredSecret?> GetAsync(SecretScope scope, SecretName name, CancellationToken cancellationToken = default) => Up().GetAsync(scope, name, cancellationToken);

        public IAsyncEnumerable<StoredSecret> ListAsync(SecretScope scope, CancellationToken cancellationToken = default) => Up().ListAsync(scope, cancellationToken);

        public ValueTask<StoredSecret> SetAsync(SecretScope scope, SecretName name, ReadOnlyMemory<byte> envelope, MasterKeyId keyId, DateTimeOffset timestamp, CancellationToken cancellationToken = default) =>
            Up().SetAsync(scope, name, envelope, keyId, timestamp, cancellationToken);

        public ValueTask<StoredSecret?> ReplaceEnvelopeAsync(SecretScope scope, SecretName name, long expectedVersion, ReadOnlyMemory<byte> envelope, MasterKeyId keyId, CancellationToken cancellationToken = default) =>
            Up().ReplaceEnvelopeAsync(scope, name, expectedVersion, envelope, keyId, cancellationToken);

        public IAsyncEnumerable<SecretScope> ListScopesAsync(CancellationToken cancellationToken = default) => Up().ListScopesAsync(cancellationToken);

        public ValueTask<bool> DeleteAsync(SecretScope scope, SecretName name, CancellationToken cancellationToken = default) => Up().DeleteAsync(scope, name, cancellationToken);

        public ValueTask<IReadOnlySet<MasterKeyId>> GetKeyIdsAsync(CancellationToken cancellationToken = default) => Up().GetKeyIdsAsync(cancellationToken);

        public ValueTask<IReadOnlySet<MasterKeyId>> AddKeyIdAsync(MasterKeyId keyId, MasterKeyId? admittedBy, CancellationToken cancellationToken = default) =>
            Up().AddKeyIdAsync(keyId, admittedBy, cancellationToken);

        public ValueTask<bool> RemoveKeyIdAsync(MasterKeyId keyId, CancellationToken cancellationToken = default) => Up().RemoveKeyIdAsync(keyId, cancellationToken);

        public ValueTask<long> GetChangeVersionAsync(CancellationToken cancellationToken = default) => Up().GetChangeVersionAsync(cancellationToken);

        public ValueTask<IReadOnlyCollection<SecretScope>> GetChangedScopesAsync(long since, long until, IReadOnlyCollection<SecretScope> scopes, CancellationToken cancellationToken = default) =>
            Up().GetChangedScopesAsync(since, until, scopes, cancellationToken);

        public Microsoft.Extensions.Primitives.IChangeToken WatchChanges() => inner.WatchChanges();

        private ISecretStore Up() => Down ? throw new TimeoutException("The store did not answer.") : inner;
    }
}
