using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Primitives;
using RootCx.Vault.Testing;

namespace RootCx.Vault.FileSystem.Tests;

/// <summary>configurationBuilder.AddRootCxVault on a real store, reloaded by a change from another process.</summary>
public class ConfigurationProviderTests
{
    private static readonly SecretScope Shop = SecretScope.ForApp("shop");

    [Test]
    public async Task Loads_an_apps_secrets_and_reloads_when_another_process_changes_them()
    {
        using var folder = new TemporaryStoreFolder();
        await using (var vault = new VaultOnFolder(folder.Path))
        {
            await vault.Vault.SetAsync(Shop, "STRIPE_KEY", "sk_test_before");
            await vault.Vault.SetAsync(Shop, "Payments__Region", "eu");
            await vault.Vault.SetAsync(SecretScope.Platform, "SLACK_TOKEN", "platform-only");
        }

        IConfigurationRoot configuration = new ConfigurationBuilder()
            .AddRootCxVault("shop", vault => vault.PersistToFileSystem(folder.Path), o =>
            {
                o.MasterKey = TestKeys.Primary;
                o.ReadMasterKeyFromEnvironment = false;
                o.ChangePollInterval = TimeSpan.FromMilliseconds(100);
            })
            .Build();
        using var reloaded = new SemaphoreSlim(0);
        using IDisposable watch = ChangeToken.OnChange(configuration.GetReloadToken, () => reloaded.Release());

        Assert.Multiple(() =>
        {
            Assert.That(configuration["STRIPE_KEY"], Is.EqualTo("sk_test_before"));
            Assert.That(configuration["Payments:Region"], Is.EqualTo("eu"));
            Assert.That(configuration["SLACK_TOKEN"], Is.Null, "platform secrets are not an app's configuration");
            Assert.That(configuration["Remote_0"], Is.Null);
        });

        await StoreWorkerProcess.RunAsync("set-many", folder.Path, "shop", "Remote", "1", "upper");

        Assert.That(await reloaded.WaitAsync(TimeSpan.FromSeconds(20)), Is.True, "the reload token fired");
        Assert.That(configuration["REMOTE_0"], Is.EqualTo("Remote-0"));
        (configuration as IDisposable)?.Dispose();
    }

    [Test]
    public async Task A_reload_that_fails_keeps_the_values_loaded_before_and_is_logged_through_the_hosts_logger_factory()
    {
        using var folder = new TemporaryStoreFolder();
        await using (var vault = new VaultOnFolder(folder.Path))
        {
            await vault.Vault.SetAsync(Shop, "STRIPE_KEY", "sk_test_before");
        }

        var logs = new FakeLogCollector();
        using ILoggerFactory loggerFactory = LoggerFactory.Create(b => b.AddProvider(new FakeLoggerProvider(logs)));
        IConfigurationRoot configuration = new ConfigurationBuilder()
            .AddRootCxVault(
                "shop",
                vault => vault.PersistToFileSystem(folder.Path),
                o =>
                {
                    o.MasterKey = TestKeys.Primary;
                    o.ReadMasterKeyFromEnvironment = false;
                    o.ChangePollInterval = TimeSpan.FromMilliseconds(100);
                },
                loggerFactory)
            .Build();

        File.WriteAllText(Path.Combine(folder.Path, "scopes", "shop", "STRIPE_KEY.secret"), "damaged");
        await StoreWorkerProcess.RunAsync("set-many", folder.Path, "shop", "Remote", "1", "upper");

        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (!logs.GetSnapshot().Any(r => r.Id.Id == 300))
        {
            await Task.Delay(20, patience.Token);
        }

        FakeLogRecord failed = logs.GetSnapshot().First(r => r.Id.Id == 300);
        Assert.Multiple(() =>
        {
            Assert.That(failed.Level, Is.EqualTo(LogLevel.Error));
            Assert.That(failed.Exception, Is.InstanceOf<SecretStoreException>());
            Assert.That(configuration["STRIPE_KEY"], Is.EqualTo("sk_test_before"), "the values loaded before stay");
        });
        (configuration as IDisposable)?.Dispose();
    }
}
