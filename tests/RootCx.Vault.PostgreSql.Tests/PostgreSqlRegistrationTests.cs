using Dapper;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Npgsql;
using RootCx.Vault.Testing;

namespace RootCx.Vault.PostgreSql.Tests;

/// <summary>The store's options are options, and the store can run on a data source the host owns.</summary>
public class PostgreSqlRegistrationTests
{
    [Test]
    public async Task A_host_data_source_is_used_and_left_open_when_the_container_is_disposed()
    {
        string schema = PostgreSqlServer.NewSchemaName();
        await using NpgsqlDataSource hostDataSource = NpgsqlDataSource.Create(PostgreSqlServer.ConnectionString);
        try
        {
            var services = new ServiceCollection().AddSingleton(hostDataSource);
            services.AddRootCxVault(Keys).PersistToPostgreSql(o => o.SchemaName = schema);
            await using (ServiceProvider provider = services.BuildServiceProvider())
            {
                await provider.GetRequiredService<ISecretVault>().SetAsync(SecretScope.Platform, "TOKEN", "value");
            }

            await using NpgsqlConnection connection = await hostDataSource.OpenConnectionAsync();
            Assert.That(await connection.ExecuteScalarAsync<long>($"SELECT count(*) FROM \"{schema}\".secrets"), Is.EqualTo(1));
        }
        finally
        {
            await PostgreSqlServer.DropSchemaAsync(PostgreSqlServer.ConnectionString, schema);
        }
    }

    [Test]
    public async Task Options_bound_from_configuration_choose_the_schema()
    {
        string schema = PostgreSqlServer.NewSchemaName();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Vault:SchemaName"] = schema }).Build();
        var services = new ServiceCollection();
        services.AddRootCxVault(Keys).PersistToPostgreSql(PostgreSqlServer.ConnectionString);
        services.Configure<PostgreSqlSecretStoreOptions>(configuration.GetSection("Vault"));
        try
        {
            await using (ServiceProvider provider = services.BuildServiceProvider())
            {
                await provider.GetRequiredService<ISecretVault>().SetAsync(SecretScope.Platform, "TOKEN", "value");
            }

            await using var connection = new NpgsqlConnection(PostgreSqlServer.ConnectionString);
            Assert.That(await connection.ExecuteScalarAsync<long>($"SELECT count(*) FROM \"{schema}\".secrets"), Is.EqualTo(1));
        }
        finally
        {
            await PostgreSqlServer.DropSchemaAsync(PostgreSqlServer.ConnectionString, schema);
        }
    }

    [Test]
    public void Bad_options_fail_start_up_with_every_problem_together()
    {
        HostApplicationBuilder builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddRootCxVault(Keys).PersistToPostgreSql(PostgreSqlServer.ConnectionString, o =>
        {
            o.SchemaName = "Not A Schema";
            o.CommandTimeout = TimeSpan.Zero;
        });
        using IHost host = builder.Build();

        var error = Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.That(error!.Failures, Has.Some.Contains("PostgreSqlSecretStoreOptions.SchemaName").And.Some.Contains("PostgreSqlSecretStoreOptions.CommandTimeout"));
    }

    [Test]
    public void The_install_lock_is_named_like_the_SQL_Server_one() =>
        Assert.That(PostgreSqlSchema.InstallScript("my_schema"), Does.Contain("hashtextextended('RootCx.Vault:my_schema', 0)"));

    private static void Keys(RootCxVaultOptions options)
    {
        options.MasterKey = TestKeys.Primary;
        options.ReadMasterKeyFromEnvironment = false;
    }
}
