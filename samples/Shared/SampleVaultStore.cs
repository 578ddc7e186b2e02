using Microsoft.Extensions.Configuration;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// The samples' choice of store, compiled into the host and the runtime alike so that both open the same store.
/// </summary>
internal static class SampleVaultStore
{
    /// <summary>
    /// PostgreSQL when <c>ConnectionStrings:Vault</c> is set (schema <c>Vault:Schema</c>, default rootcx_vault),
    /// else the file system store under <c>&lt;data&gt;/secrets</c>.
    /// </summary>
    public static IRootCxVaultBuilder PersistTo(this IRootCxVaultBuilder vault, IConfiguration configuration, string dataPath) =>
        configuration.GetConnectionString("Vault") is { Length: > 0 } postgres
            ? vault.PersistToPostgreSql(postgres, o => o.SchemaName = configuration["Vault:Schema"] ?? o.SchemaName)
            : vault.PersistToFileSystem(Path.Combine(dataPath, "secrets"));
}
