using Microsoft.Extensions.DependencyInjection.Extensions;
using RootCx.Vault.SqlServer;
using RootCx.Vault.Storage;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the SQL Server store.</summary>
public static class SqlServerVaultBuilderExtensions
{
    /// <summary>Stores secrets in SQL Server, replacing any store chosen before.</summary>
    /// <param name="builder">The vault builder.</param>
    /// <param name="connectionString">The SQL Server connection string.</param>
    /// <param name="configure">Configures the store (schema name, schema installation, timeout); may be <see langword="null"/>.</param>
    /// <returns>The same builder.</returns>
    public static IRootCxVaultBuilder PersistToSqlServer(this IRootCxVaultBuilder builder, string connectionString, Action<SqlServerSecretStoreOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        var options = new SqlServerSecretStoreOptions();
        configure?.Invoke(options);
        SqlServerSchema.Quote(options.SchemaName);
        builder.Services.Replace(ServiceDescriptor.Singleton<ISecretStore>(new SqlServerSecretStore(connectionString, options)));
        return builder;
    }
}
