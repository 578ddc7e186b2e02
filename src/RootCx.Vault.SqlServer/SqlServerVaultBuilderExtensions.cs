using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using RootCx.Vault;
using RootCx.Vault.SqlServer;
using RootCx.Vault.Sql;
using RootCx.Vault.Storage;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the SQL Server store.</summary>
public static class SqlServerVaultBuilderExtensions
{
    /// <summary>Stores secrets in SQL Server, replacing any store chosen before.</summary>
    /// <param name="builder">The vault builder.</param>
    /// <param name="connectionString">The SQL Server connection string.</param>
    /// <param name="configure">
    /// Configures the store (schema name, schema installation, timeout); may be <see langword="null"/>. The options can
    /// also be bound from configuration (<c>services.Configure&lt;SqlServerSecretStoreOptions&gt;(section)</c>); they
    /// are validated at start-up, every problem reported together.
    /// </param>
    /// <returns>The same builder.</returns>
    public static IRootCxVaultBuilder PersistToSqlServer(this IRootCxVaultBuilder builder, string connectionString, Action<SqlServerSecretStoreOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        OptionsBuilder<SqlServerSecretStoreOptions> options = builder.Services.AddOptions<SqlServerSecretStoreOptions>().ValidateOnStart();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SqlServerSecretStoreOptions>>(new SqlStoreOptionsValidator<SqlServerSecretStoreOptions>(SqlServerSchema.NameRule, SqlServerSchema.IsValid)));

        // Built when first resolved, from the options as configured and validated by then.
        builder.Services.Replace(ServiceDescriptor.Singleton(services =>
            new SqlServerSecretStore(connectionString, services.GetRequiredService<IOptions<SqlServerSecretStoreOptions>>().Value)));
        builder.Services.Replace(ServiceDescriptor.Singleton<ISecretStore>(services => services.GetRequiredService<SqlServerSecretStore>()));

        // The store's durable audit log (table [AuditEvents]) is on with the store, as the other stores' are.
        builder.Services.Replace(ServiceDescriptor.Singleton(services => new SqlServerAuditLog(
            services.GetRequiredService<SqlServerSecretStore>(), services.GetRequiredService<IOptions<SqlServerSecretStoreOptions>>().Value.SchemaName)));
        builder.Services.Replace(ServiceDescriptor.Singleton<ISecretAuditLog>(services => services.GetRequiredService<SqlServerAuditLog>()));
        return builder;
    }
}
