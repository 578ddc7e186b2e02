using RootCx.Vault.Sql;

namespace RootCx.Vault.SqlServer;

/// <summary>Configures the SQL Server store.</summary>
public sealed class SqlServerSecretStoreOptions : ISqlStoreOptions
{
    /// <summary>Gets or sets the schema that holds the store's tables: <c>[A-Za-z_][A-Za-z0-9_]*</c>.</summary>
    /// <value>The default value is <c>rootcx_vault</c>.</value>
    public string SchemaName { get; set; } = "rootcx_vault";

    /// <summary>Gets or sets whether the store runs its install script (re-runnable, under an app lock) on first use.</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool PrepareSchemaIfNecessary { get; set; } = true;

    /// <summary>Gets or sets the command timeout.</summary>
    /// <value>The default value is 30 seconds.</value>
    public TimeSpan CommandTimeout { get; set; } = TimeSpan.FromSeconds(30);
}
