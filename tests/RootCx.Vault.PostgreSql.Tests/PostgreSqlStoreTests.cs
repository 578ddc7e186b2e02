using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using RootCx.Vault.Storage;
using RootCx.Vault.Testing;

namespace RootCx.Vault.PostgreSql.Tests;

/// <summary>What the conformance suite cannot see: installing the schema, registration, and what the store reveals.</summary>
public class PostgreSqlStoreTests
{
    [Test]
    public Task Stores_that_start_at_once_on_a_new_schema_install_it_once_between_them() => InNewSchemaAsync(async (connectionString, schema) =>
    {
        var options = new PostgreSqlSecretStoreOptions { SchemaName = schema };
        PostgreSqlSecretStore[] stores = [.. Enumerable.Range(0, 4).Select(_ => new PostgreSqlSecretStore(connectionString, options, logger: null))];
        try
        {
            long[] versions = await Task.WhenAll(stores.Select(s => s.GetChangeVersionAsync().AsTask()));

            await using var connection = new NpgsqlConnection(connectionString);
            int[] installed = [.. await connection.QueryAsync<int>($"SELECT version FROM \"{schema}\".schema_version;")];
            Assert.That(versions, Is.All.EqualTo(0));
            Assert.That(installed, Is.EqualTo(new[] { 4 }));
        }
        finally
        {
            foreach (PostgreSqlSecretStore store in stores)
            {
                await store.DisposeAsync();
            }
        }
    });

    [Test]
    public Task A_version_1_schema_is_upgraded_in_place_and_its_secrets_still_open() => InNewSchemaAsync(async (connectionString, schema) =>
    {
        var app = SecretScope.ForApp("golden-app");
        await RunGoldenAsync(connectionString, schema, "schema-v1.sql");

        using IHost host = BuildVaultHost(connectionString, schema);
        await host.StartAsync();
        using (SecretValue? value = await host.Services.GetRequiredService<ISecretReader>().GetAsync(app, "GOLDEN_SECRET"))
        {
            Assert.That(value?.RevealString(), Is.EqualTo("golden plaintext ✓ v1"));
        }

        var vault = host.Services.GetRequiredService<ISecretVault>();
        await vault.DeleteAsync(app, "GOLDEN_SECRET");
        SecretMetadata recreated = await vault.SetAsync(app, "GOLDEN_SECRET", "new");
        await using var check = new NpgsqlConnection(connectionString);
        Assert.Multiple(async () =>
        {
            Assert.That(await host.Services.GetRequiredService<ISecretStore>().GetKeyIdsAsync(), Is.EquivalentTo(new[] { TestKeys.IdOf(TestKeys.Primary) }), "the key record is built from the envelopes");
            Assert.That(recreated.Version, Is.EqualTo(5), "versions continue from the version 1 row");
            Assert.That(await check.QuerySingleAsync<int>($"SELECT version FROM \"{schema}\".schema_version;"), Is.EqualTo(4));
            Assert.That(
                await check.QueryAsync<string>($"SELECT action FROM \"{schema}\".audit_events ORDER BY seq;"),
                Is.EqualTo(new[] { "Read", "Delete", "Set" }),
                "the upgraded schema keeps the audit trail");
        });
        await host.StopAsync();
    });

    [Test]
    public Task A_version_3_schema_is_upgraded_in_place_and_keeps_history_deletes_and_recovers() => InNewSchemaAsync(async (connectionString, schema) =>
    {
        var app = SecretScope.ForApp("golden-app");
        await RunGoldenAsync(connectionString, schema, "schema-v3.sql");

        using IHost host = BuildVaultHost(connectionString, schema);
        await host.StartAsync();
        var vault = host.Services.GetRequiredService<ISecretVault>();
        var reader = host.Services.GetRequiredService<ISecretReader>();
        var store = host.Services.GetRequiredService<ISecretStore>();
        using (SecretValue? value = await reader.GetAsync(app, "GOLDEN_SECRET"))
        {
            Assert.That(value?.RevealString(), Is.EqualTo("golden plaintext ✓ v1"));
        }

        SecretMetadata replaced = await vault.SetAsync(app, "GOLDEN_SECRET", "new");
        IReadOnlyList<StoredSecret> history = await store.GetHistoryAsync(app, SecretName.Parse("GOLDEN_SECRET"));
        Assert.Multiple(() =>
        {
            Assert.That(replaced.Version, Is.EqualTo(5));
            Assert.That(history.Select(v => (v.Version, Convert.ToHexStringLower(v.Envelope.Span))), Is.EqualTo(new[] { (4L, GoldenEnvelope) }), "the version 3 row became history");
        });

        Assert.That(await vault.DeleteAsync(app, "GOLDEN_SECRET"), Is.True);
        Assert.That(await vault.ListDeletedAsync(app), Has.Count.EqualTo(1));
        Assert.That((await vault.RecoverAsync(app, "GOLDEN_SECRET"))?.Version, Is.EqualTo(5));
        using (SecretValue? value = await reader.GetAsync(app, "GOLDEN_SECRET"))
        {
            Assert.That(value?.RevealString(), Is.EqualTo("new"));
        }

        SecretMetadata afterTombstone = await vault.SetAsync(app, "retired", "back");
        await using var check = new NpgsqlConnection(connectionString);
        Assert.Multiple(async () =>
        {
            Assert.That(afterTombstone.Version, Is.EqualTo(8), "the version 3 tombstone still holds the name's version");
            Assert.That(await store.GetHistoryAsync(app, SecretName.Parse("RETIRED")), Is.Empty, "and no history");
            Assert.That(await vault.ListAsync(SecretScope.Platform), Has.Count.EqualTo(1));
            Assert.That(await store.ListScopesAsync().ToArrayAsync(), Is.EquivalentTo(new[] { app, SecretScope.Platform }));
            Assert.That(await store.GetChangeVersionAsync(), Is.GreaterThan(12), "the change version continues");
            Assert.That(await check.QuerySingleAsync<int>($"SELECT version FROM \"{schema}\".schema_version;"), Is.EqualTo(4));
        });
        await host.StopAsync();
    });

    [Test]
    public Task A_vault_registered_on_PostgreSql_passes_its_start_up_check_and_round_trips_a_value() => InNewSchemaAsync(async (connectionString, schema) =>
    {
        var shop = SecretScope.ForApp("shop");
        ISecretStore store;
        using (IHost host = BuildVaultHost(connectionString, schema))
        {
            await host.StartAsync();
            store = host.Services.GetRequiredService<ISecretStore>();
            await host.Services.GetRequiredService<ISecretVault>().SetAsync(shop, "Stripe_Key", "sk_live_postgres");
            using SecretValue? value = await host.Services.GetRequiredService<ISecretReader>().GetAsync(shop, "STRIPE_KEY");
            Assert.That(value?.RevealString(), Is.EqualTo("sk_live_postgres"));
            await host.StopAsync();
        }

        Assert.ThrowsAsync<ObjectDisposedException>(async () => await store.GetChangeVersionAsync(), "the container disposed the store it made");
    });

    /// <summary>Two vaults with their own connection pools stand for two processes or machines sharing the database.</summary>
    [Test]
    public Task A_write_through_one_vault_fires_the_change_token_of_another_on_the_same_database() => InNewSchemaAsync(async (connectionString, schema) =>
    {
        var shop = SecretScope.ForApp("shop");
        using IHost watcher = BuildVaultHost(connectionString, schema);
        using IHost writer = BuildVaultHost(connectionString, schema);
        await watcher.StartAsync();
        await writer.StartAsync();

        var feed = watcher.Services.GetRequiredService<ISecretChangeFeed>();
        var vault = writer.Services.GetRequiredService<ISecretVault>();

        // The first change may be seen by the feed's first full check; the second only through the change version.
        Assert.That(await FiresAsync(feed, shop, () => vault.SetAsync(shop, "STRIPE_KEY", "sk_live_elsewhere").AsTask()), Is.True, "first change");
        Assert.That(await FiresAsync(feed, shop, () => vault.SetAsync(shop, "SLACK_TOKEN", "xoxb-elsewhere").AsTask()), Is.True, "second change");
        await watcher.StopAsync();
        await writer.StopAsync();
    });

    [Test]
    public async Task A_schema_install_that_failed_is_tried_again_on_the_next_call()
    {
        // Nothing listens on port 1: the install fails fast, as it would while a database is still starting.
        await using var store = new PostgreSqlSecretStore("Host=127.0.0.1;Port=1;Database=vault;Timeout=2", options: null, logger: null);

        var first = Assert.ThrowsAsync<SecretStoreException>(async () => await store.GetChangeVersionAsync());
        var second = Assert.ThrowsAsync<SecretStoreException>(async () => await store.GetChangeVersionAsync());

        Assert.That(first!.InnerException, Is.InstanceOf<NpgsqlException>());
        Assert.That(second!.InnerException, Is.InstanceOf<NpgsqlException>().And.Not.SameAs(first.InnerException), "a second attempt, not the first failure replayed");
    }

    [Test]
    public Task A_schema_newer_than_the_build_is_refused_naming_both_versions_and_left_unchanged() => InNewSchemaAsync(async (connectionString, schema) =>
    {
        var options = new PostgreSqlSecretStoreOptions { SchemaName = schema };
        await using (var installer = new PostgreSqlSecretStore(connectionString, options, logger: null))
        {
            await installer.GetChangeVersionAsync();
        }

        // As a newer build would leave it; the dropped index is what a re-run of this build's script would bring back.
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.ExecuteAsync($"""UPDATE "{schema}".schema_version SET version = 5; DROP INDEX "{schema}".secrets_deleted;""");

        await using var store = new PostgreSqlSecretStore(connectionString, options, logger: null);
        var refused = Assert.ThrowsAsync<SecretStoreException>(async () => await store.GetChangeVersionAsync());
        var again = Assert.ThrowsAsync<SecretStoreException>(async () => await store.GetAsync(SecretScope.ForApp("app"), SecretName.Parse("API_KEY")));

        int[] versions = [.. await connection.QueryAsync<int>($"""SELECT version FROM "{schema}".schema_version;""")];
        bool indexBack = await connection.ExecuteScalarAsync<bool>($"SELECT to_regclass('\"{schema}\".secrets_deleted') IS NOT NULL;");
        Assert.Multiple(() =>
        {
            Assert.That(refused!.Message, Does.Contain("schema version 5 is newer than this build knows (4); upgrade RootCx.Vault"));
            Assert.That(refused.InnerException, Is.InstanceOf<PostgresException>());
            Assert.That(again!.Message, Does.Contain("schema version 5 is newer"), "refused at every call, not only the first");
            Assert.That(versions, Is.EqualTo(new[] { 5 }), "the recorded version stays");
            Assert.That(indexBack, Is.False, "the script stopped before changing anything");
        });
    });

    // The golden secret's envelope (tests/RootCx.Vault.Tests/Golden/envelopes-v1.txt), as the golden schemas hold it.
    private const string GoldenEnvelope = "016f74319aee95c0676dd9b637a16360d3b9fab7713bee57b67e49fd233f5f3aeab565b0591c65e7719a3d37640bca9f33d3acf7a22b9c25";

    /// <summary>Runs a golden schema script (Golden/) in <paramref name="schema"/>.</summary>
    private static async Task RunGoldenAsync(string connectionString, string schema, string file)
    {
        string golden = await File.ReadAllTextAsync(Path.Combine(TestContext.CurrentContext.TestDirectory, "Golden", file));
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.ExecuteAsync(golden.Replace("{{schema_literal}}", schema, StringComparison.Ordinal).Replace("{{schema}}", $"\"{schema}\"", StringComparison.Ordinal));
    }

    /// <summary>Runs <paramref name="test"/> on the server under test in a schema of its own, dropped afterwards.</summary>
    private static async Task InNewSchemaAsync(Func<string, string, Task> test)
    {
        string connectionString = PostgreSqlServer.ConnectionString;
        string schema = PostgreSqlServer.NewSchemaName();
        try
        {
            await test(connectionString, schema);
        }
        finally
        {
            await PostgreSqlServer.DropSchemaAsync(connectionString, schema);
        }
    }

    private static async Task<bool> FiresAsync(ISecretChangeFeed feed, SecretScope scope, Func<Task> change)
    {
        var fired = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using IDisposable registration = feed.GetChangeToken(scope).RegisterChangeCallback(_ => fired.TrySetResult(), null);
        await change();
        return await Task.WhenAny(fired.Task, Task.Delay(TimeSpan.FromSeconds(30))) == fired.Task;
    }

    private static IHost BuildVaultHost(string connectionString, string schema)
    {
        HostApplicationBuilder builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddRootCxVault(o =>
        {
            o.MasterKey = TestKeys.Primary;
            o.ReadMasterKeyFromEnvironment = false;
            o.ChangePollInterval = TimeSpan.FromMilliseconds(100);
        }).PersistToPostgreSql(connectionString, o => o.SchemaName = schema);
        return builder.Build();
    }

    [TestCase("rootcx_vault")]
    [TestCase("_vault2")]
    public void Valid_schema_names_are_double_quoted(string name) =>
        Assert.That(PostgreSqlSchema.Quote(name), Is.EqualTo($"\"{name}\""));

    [TestCase("")]
    [TestCase("Vault")]
    [TestCase("bad\"name")]
    [TestCase("public; DROP TABLE x")]
    [TestCase("1st")]
    [TestCase("a_name_that_is_sixty_four_characters_long_which_postgres_truncat")]
    public void Other_schema_names_are_refused(string name) =>
        Assert.Throws<ArgumentException>(() => PostgreSqlSchema.Quote(name));

    [Test]
    public void Every_placeholder_of_the_install_script_is_replaced() =>
        Assert.That(PostgreSqlSchema.InstallScript("rootcx_vault"), Does.Contain("\"rootcx_vault\".secrets").And.Not.Contain("{{"));

    [Test]
    public async Task ToString_names_host_and_database_but_never_the_credentials()
    {
        await using var store = new PostgreSqlSecretStore("Host=db01;Port=5433;Database=vault;Username=rootcx;Password=hunter2-secret", options: null, logger: null);
        Assert.That(store.ToString(), Is.EqualTo("PostgreSqlSecretStore(db01:5433/vault)"));
    }

}
