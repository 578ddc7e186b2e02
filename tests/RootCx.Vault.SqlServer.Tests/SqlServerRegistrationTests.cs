using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using RootCx.Vault.Storage;

namespace RootCx.Vault.SqlServer.Tests;

/// <summary>The store's options are validated together, when the store is first resolved.</summary>
public class SqlServerRegistrationTests
{
    private const string ConnectionString = "Server=tcp:127.0.0.1,1;Database=vault;Connect Timeout=2;ConnectRetryCount=0;Encrypt=false";

    [Test]
    public void Bad_options_are_reported_together_when_the_store_is_resolved_not_when_it_is_registered()
    {
        var services = new ServiceCollection();
        IRootCxVaultBuilder vault = services.AddRootCxVault(o => o.MasterKey = Testing.TestKeys.Primary);

        Assert.DoesNotThrow(() => vault.PersistToSqlServer(ConnectionString, o =>
        {
            o.SchemaName = "bad name";
            o.CommandTimeout = TimeSpan.Zero;
        }));
        using ServiceProvider provider = services.BuildServiceProvider();
        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<ISecretStore>());

        Assert.That(error!.Failures, Has.Some.Contains("SqlServerSecretStoreOptions.SchemaName").And.Some.Contains("SqlServerSecretStoreOptions.CommandTimeout"));
    }

    [Test]
    public void The_install_lock_is_named_like_the_PostgreSQL_one() =>
        Assert.That(SqlServerSchema.InstallScript("my_schema"), Does.Contain("@Resource = N'RootCx.Vault:my_schema'"));
}
