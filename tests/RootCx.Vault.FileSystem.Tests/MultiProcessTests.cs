using Microsoft.Extensions.DependencyInjection;
using RootCx.Vault.Testing;

namespace RootCx.Vault.FileSystem.Tests;

/// <summary>Real child processes writing one store folder at once.</summary>
public class MultiProcessTests : StoreFolderTests
{
    private static readonly SecretScope Shop = SecretScope.ForApp("shop");
    [Test]
    public async Task Processes_hammering_one_secret_lose_no_update()
    {
        const int Processes = 3;
        const int WritesEach = 40;

        await Task.WhenAll(Enumerable.Range(0, Processes).Select(_ =>
            StoreWorkerProcess.RunAsync("hammer", Folder.Path, "shop", "CONTESTED", WritesEach.ToString(System.Globalization.CultureInfo.InvariantCulture))));

        await using var vault = new VaultOnFolder(Folder.Path);
        SecretMetadata contested = (await vault.Vault.ListAsync(Shop)).Single();
        Assert.That(contested.Version, Is.EqualTo(Processes * WritesEach));
        Assert.That((await vault.ReadAllAsync(Shop))["CONTESTED"], Does.StartWith("hammer-"));
    }

    [Test]
    public async Task Names_stay_unique_ignoring_case_across_processes()
    {
        const int Count = 40;
        await Task.WhenAll(
            StoreWorkerProcess.RunAsync("set-many", Folder.Path, "shop", "Key", Count.ToString(System.Globalization.CultureInfo.InvariantCulture), "upper"),
            StoreWorkerProcess.RunAsync("set-many", Folder.Path, "shop", "Key", Count.ToString(System.Globalization.CultureInfo.InvariantCulture), "lower"));

        await using var vault = new VaultOnFolder(Folder.Path);
        IReadOnlyList<SecretMetadata> listed = await vault.Vault.ListAsync(Shop);
        Dictionary<string, string> values = await vault.ReadAllAsync(Shop);

        Assert.That(listed, Has.Count.EqualTo(Count));
        Assert.That(listed.Select(s => s.Version), Is.All.EqualTo(2), "each name written once by each process, into one secret");
        Assert.That(values.Values, Is.EquivalentTo(Enumerable.Range(0, Count).Select(i => $"Key-{i}")));
    }

    [Test]
    public async Task A_change_made_by_another_process_moves_the_change_version_seen_here()
    {
        using var store = new FileSystemSecretStore(Folder.Path);
        long before = await store.GetChangeVersionAsync();

        await StoreWorkerProcess.RunAsync("set-many", Folder.Path, "shop", "Remote", "1", "upper");

        Assert.That(await store.GetChangeVersionAsync(), Is.GreaterThan(before));
    }

    [Test]
    public async Task A_write_by_another_process_fires_the_token_here_by_notification_alone()
    {
        // Polling an hour apart: only the watcher on the change version file can fire the token within the test.
        var services = new ServiceCollection().AddLogging();
        services.AddRootCxVault(o =>
        {
            o.MasterKey = TestKeys.Primary;
            o.ReadMasterKeyFromEnvironment = false;
            o.ChangePollInterval = TimeSpan.FromHours(1);
        }).PersistToFileSystem(Folder.Path);
        await using ServiceProvider provider = services.BuildServiceProvider();
        await provider.GetRequiredService<ISecretVault>().ListAsync(Shop);
        var feed = provider.GetRequiredService<ISecretChangeFeed>();

        for (int round = 0; round < 2; round++)
        {
            var fired = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            using IDisposable registration = feed.GetChangeToken(Shop).RegisterChangeCallback(_ => fired.TrySetResult(), null);
            await StoreWorkerProcess.RunAsync("set-many", Folder.Path, "shop", $"Remote{round}", "1", "upper");

            Assert.That(await Task.WhenAny(fired.Task, Task.Delay(TimeSpan.FromSeconds(30))), Is.SameAs(fired.Task), $"round {round}");
        }
    }
}
