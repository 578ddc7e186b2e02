using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using RootCx.Vault;
using RootCx.Vault.FileSystem;
using RootCx.Vault.Storage;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the file system store.</summary>
public static class FileSystemVaultBuilderExtensions
{
    /// <summary>
    /// Stores secrets in files under <paramref name="rootPath"/>, replacing any store chosen before, and keeps the
    /// audit trail there too (<c>audit/events.log</c>, registered as <see cref="ISecretAuditLog"/>, which the vault writes every event to).
    /// </summary>
    /// <param name="builder">The vault builder.</param>
    /// <param name="rootPath">The store's root folder; created owner-only when missing.</param>
    /// <returns>The same builder.</returns>
    public static IRootCxVaultBuilder PersistToFileSystem(this IRootCxVaultBuilder builder, string rootPath)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(rootPath);
        builder.Services.Replace(ServiceDescriptor.Singleton<ISecretStore>(services => new FileSystemSecretStore(
            rootPath,
            services.GetService<TimeProvider>(),
            services.GetService<ILogger<FileSystemSecretStore>>())));

        // The store's durable audit log is on with the store: an audit trail that must be switched on is one that is off.
        builder.Services.Replace(ServiceDescriptor.Singleton(_ => new FileSystemAuditLog(rootPath)));
        builder.Services.Replace(ServiceDescriptor.Singleton<ISecretAuditLog>(services => services.GetRequiredService<FileSystemAuditLog>()));
        return builder;
    }
}
