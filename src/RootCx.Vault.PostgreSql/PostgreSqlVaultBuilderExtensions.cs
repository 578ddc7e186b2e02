using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using RootCx.Vault;
using RootCx.Vault.PostgreSql;
using RootCx.Vault.Sql;
using RootCx.Vault.Storage;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the PostgreSQL store.</summary>
public static class PostgreSqlVaultBuilderExtensions
{
    /// <summary>Stores secrets in PostgreSQL through a connection pool of the store's own, replacing any store chosen before.</summary>
    /// <param name="builder">The vault builder.</param>
    /// <param name="connectionString">The Npgsql connection string.</param>
    /// <param name="configure">
    /// Configures the store (schema name, schema installation, timeout); may be <see langword="null"/>. The options can
    /// also be bound from configuration (<c>services.Configure&lt;PostgreSqlSecretStoreOptions&gt;(section)</c>); they
    /// are validated at start-up, every problem reported together.
    /// </param>
    /// <returns>The same builder.</returns>
    public static IRootCxVaultBuilder PersistToPostgreSql(this IRootCxVaultBuilder builder, string connectionString, Action<PostgreSqlSecretStoreOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        AddOptions(builder.Services, configure);

        // A factory, so the container disposes the store and its connection pool with itself.
        builder.Services.Replace(ServiceDescriptor.Singleton(services =>
            new PostgreSqlSecretStore(connectionString, OptionsOf(services), services.GetService<ILogger<PostgreSqlSecretStore>>())));
        AddStoreAndAuditLog(builder.Services);
        return builder;
    }

    /// <summary>
    /// Stores secrets in PostgreSQL through the <see cref="NpgsqlDataSource"/> the host registered (for example with
    /// <c>AddNpgsqlDataSource</c>), replacing any store chosen before. The host owns the data source: the store never
    /// disposes it.
    /// </summary>
    /// <param name="builder">The vault builder.</param>
    /// <returns>The same builder.</returns>
    public static IRootCxVaultBuilder PersistToPostgreSql(this IRootCxVaultBuilder builder) => builder.PersistToPostgreSql(configure: static _ => { });

    /// <summary>
    /// Stores secrets in PostgreSQL through the <see cref="NpgsqlDataSource"/> the host registered, with store options,
    /// replacing any store chosen before. The host owns the data source: the store never disposes it.
    /// </summary>
    /// <param name="builder">The vault builder.</param>
    /// <param name="configure">Configures the store (schema name, schema installation, timeout).</param>
    /// <returns>The same builder.</returns>
    public static IRootCxVaultBuilder PersistToPostgreSql(this IRootCxVaultBuilder builder, Action<PostgreSqlSecretStoreOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        AddOptions(builder.Services, configure);
        builder.Services.Replace(ServiceDescriptor.Singleton(services =>
            new PostgreSqlSecretStore(services.GetRequiredService<NpgsqlDataSource>(), OptionsOf(services), services.GetService<ILogger<PostgreSqlSecretStore>>())));
        AddStoreAndAuditLog(builder.Services);
        return builder;
    }

    // The store's durable audit log (table audit_events) is on with the store, as the file store's is.
    private static void AddStoreAndAuditLog(IServiceCollection services)
    {
        services.Replace(ServiceDescriptor.Singleton<ISecretStore>(services => services.GetRequiredService<PostgreSqlSecretStore>()));
        services.Replace(ServiceDescriptor.Singleton(services => new PostgreSqlAuditLog(services.GetRequiredService<PostgreSqlSecretStore>(), OptionsOf(services).SchemaName)));
        services.Replace(ServiceDescriptor.Singleton<ISecretAuditLog>(services => services.GetRequiredService<PostgreSqlAuditLog>()));
    }

    private static void AddOptions(IServiceCollection services, Action<PostgreSqlSecretStoreOptions>? configure)
    {
        OptionsBuilder<PostgreSqlSecretStoreOptions> options = services.AddOptions<PostgreSqlSecretStoreOptions>().ValidateOnStart();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<PostgreSqlSecretStoreOptions>>(new SqlStoreOptionsValidator<PostgreSqlSecretStoreOptions>(PostgreSqlSchema.NameRule, PostgreSqlSchema.IsValid)));
    }

    private static PostgreSqlSecretStoreOptions OptionsOf(IServiceProvider services) =>
        services.GetRequiredService<IOptions<PostgreSqlSecretStoreOptions>>().Value;
}
