using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using RootCx.Vault.PostgreSql;
using RootCx.Vault.Storage;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the PostgreSQL store.</summary>
public static class PostgreSqlVaultBuilderExtensions
{
    /// <summary>Stores secrets in PostgreSQL, replacing any store chosen before.</summary>
    /// <param name="builder">The vault builder.</param>
    /// <param name="connectionString">The Npgsql connection string.</param>
    /// <param name="configure">Configures the store (schema name, schema installation, timeout); may be <see langword="null"/>.</param>
    /// <returns>The same builder.</returns>
    public static IRootCxVaultBuilder PersistToPostgreSql(this IRootCxVaultBuilder builder, string connectionString, Action<PostgreSqlSecretStoreOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        var options = new PostgreSqlSecretStoreOptions();
        configure?.Invoke(options);
        PostgreSqlSchema.Quote(options.SchemaName);

        // A factory, so the container disposes the store and its connection pool with itself.
        builder.Services.Replace(ServiceDescriptor.Singleton<ISecretStore>(services =>
            new PostgreSqlSecretStore(connectionString, options, services.GetService<ILogger<PostgreSqlSecretStore>>())));
        return builder;
    }
}
