using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Primitives;
using Npgsql;
using RootCx.Vault.Testing;

namespace RootCx.Vault.PostgreSql.Tests;

/// <summary>LISTEN/NOTIFY end to end: another vault's writes fire tokens here, also across a server crash.</summary>
public class ChangeNotificationTests
{
    private static readonly SecretScope Shop = SecretScope.ForApp("shop");
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Test]
    public async Task A_write_through_another_vault_fires_the_token_here_by_notification_alone()
    {
        string connectionString = PostgreSqlServer.ConnectionString;
        string schema = PostgreSqlServer.NewSchemaName();
        try
        {
            await using ServiceProvider watcher = BuildVault(connectionString, schema);
            await using ServiceProvider writer = BuildVault(connectionString, schema);
            await watcher.GetRequiredService<ISecretVault>().ListAsync(Shop);
            var feed = watcher.GetRequiredService<ISecretChangeFeed>();

            for (int round = 0; round < 3; round++)
            {
                Assert.That(await FiresAsync(feed.GetChangeToken(Shop), () => writer.GetRequiredService<ISecretVault>().SetAsync(Shop, $"KEY_{round}", "v").AsTask()), Is.True, $"round {round}");
            }
        }
        finally
        {
            await PostgreSqlServer.DropSchemaAsync(connectionString, schema);
        }
    }

    [Test]
    public async Task After_the_server_crashes_and_comes_back_the_listener_reconnects_and_tokens_fire_again()
    {
        await using PrivatePostgreSqlCluster cluster = await PrivatePostgreSqlCluster.StartAsync();
        var options = new PostgreSqlSecretStoreOptions { SchemaName = "rootcx_vault" };
        await using var watching = new PostgreSqlSecretStore(cluster.ConnectionString, options, logger: null);
        await using var writing = new PostgreSqlSecretStore(cluster.ConnectionString, options, logger: null);
        await TestKeys.RecordInAsync(writing);
        await SecretStoreConformanceTests.WaitUntilQuietAsync(watching);
        Assert.That(await FiresAsync(watching.WatchChanges(), () => SetAsync(writing, "BEFORE")), Is.True, "before the crash");

        await cluster.StopServerImmediatelyAsync();
        await cluster.StartServerAsync();
        await WaitForListenerAsync(cluster.ConnectionString);

        for (int round = 0; round < 3; round++)
        {
            Assert.That(await FiresAsync(watching.WatchChanges(), () => SetAsync(writing, $"AFTER_{round}")), Is.True, $"after the crash, round {round}");
        }
    }

    private static ServiceProvider BuildVault(string connectionString, string schema)
    {
        var services = new ServiceCollection();
        services.AddRootCxVault(o =>
        {
            o.MasterKey = TestKeys.Primary;
            o.ReadMasterKeyFromEnvironment = false;

            // An hour apart: within the test only a notification can fire a token.
            o.ChangePollInterval = TimeSpan.FromHours(1);
        }).PersistToPostgreSql(connectionString, o => o.SchemaName = schema);
        return services.BuildServiceProvider();
    }

    // The writer's pool still holds connections to the crashed server: the first use of each fails, as in production.
    private static async Task SetAsync(PostgreSqlSecretStore store, string name)
    {
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                await store.SetAsync(Shop, SecretName.Parse(name), TestKeys.FakeEnvelope(TestKeys.IdOf(TestKeys.Primary)), TestKeys.IdOf(TestKeys.Primary), DateTimeOffset.UtcNow, SecretPrecondition.None, RootCxVaultOptions.DefaultMaxVersions);
                return;
            }
            catch (SecretStoreException ex) when (ex.InnerException is NpgsqlException && attempt < 10)
            {
                await Task.Delay(200);
            }
        }
    }

    /// <summary>Waits until a session LISTENs again, then a little longer, so its reconnect fire is behind us.</summary>
    private static async Task WaitForListenerAsync(string connectionString)
    {
        using var patience = new CancellationTokenSource(Patience);
        while (true)
        {
            try
            {
                await using var connection = new NpgsqlConnection(connectionString);
                if (await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM pg_stat_activity WHERE query LIKE 'LISTEN %';") > 0)
                {
                    break;
                }
            }
            catch (NpgsqlException)
            {
                // Still starting.
            }

            await Task.Delay(100, patience.Token);
        }

        await Task.Delay(500, patience.Token);
    }

    private static async Task<bool> FiresAsync(IChangeToken token, Func<Task> change)
    {
        var fired = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using IDisposable registration = token.RegisterChangeCallback(_ => fired.TrySetResult(), null);
        await change();
        return await Task.WhenAny(fired.Task, Task.Delay(Patience)) == fired.Task;
    }
}
