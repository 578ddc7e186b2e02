using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using RootCx.Vault.Cli.Console;
using RootCx.Vault.Storage;

namespace RootCx.Vault.Cli.Hosting;

/// <summary>One command's vault: the library's own registration on the chosen store, without a generic host.</summary>
/// <remarks>
/// Without a host the library checks the key against the store's key record on first use, and sets up a store whose
/// record is empty. Only <c>set</c> and <c>import</c> (once the backup is authenticated) may do that; every other
/// command calls <see cref="RequireSetUpAsync"/> first, so a command pointed at the wrong place says so instead of
/// creating a key and a store there.
/// </remarks>
internal sealed class VaultSession : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    private VaultSession(ServiceProvider services, StoreLocation location)
    {
        _services = services;
        Location = location;
    }

    public StoreLocation Location { get; }

    public ISecretVault Vault => _services.GetRequiredService<ISecretVault>();

    public ISecretReader Reader => _services.GetRequiredService<ISecretReader>();

    public ISecretInjector Injector => _services.GetRequiredService<ISecretInjector>();

    public ISecretChangeFeed Changes => _services.GetRequiredService<ISecretChangeFeed>();

    public ISecretStore Store => _services.GetRequiredService<ISecretStore>();

    /// <summary>Gets the store's durable audit trail.</summary>
    public ISecretAuditLog AuditLog => _services.GetRequiredService<ISecretAuditLog>();

    /// <summary>Gets the key file the library falls back to when no key is configured.</summary>
    public string KeyFilePath { get; private init; } = "";

    /// <summary>Names the store for output: a file store's folder, a database's <c>ToString()</c>, never a connection string.</summary>
    public string Description => Location.Kind == StoreKind.FileSystem ? $"file:{Path.GetFullPath(Location.Target)}" : Store.ToString() ?? "";

    /// <exception cref="OperatorException">A file store's folder does not exist and <paramref name="mayCreate"/> is off.</exception>
    public static VaultSession Open(VaultSettings settings, bool mayCreate = false, Action<SecretInjectionOptions>? injection = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        StoreLocation location = settings.Store;

        // The file store creates its folder when opened: a mistyped path must not become an empty store.
        if (location.Kind == StoreKind.FileSystem && !mayCreate && !Directory.Exists(location.Target))
        {
            throw new OperatorException($"No store at '{Path.GetFullPath(location.Target)}': the folder does not exist.");
        }

        string[] previousKeys = [.. settings.PreviousKeyFiles.Select(ReadKeyFile)];
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning).AddProvider(new StandardErrorLoggerProvider()));
        services.AddSingleton<ISecretAuditActor, OperatorAuditActor>();
        IRootCxVaultBuilder vault = services.AddRootCxVault(options =>
        {
            if (settings.KeyFile is not null)
            {
                options.KeyFilePath = settings.KeyFile;
            }

            foreach (string key in previousKeys)
            {
                options.PreviousMasterKeys.Add(key);
            }

            settings.Lifecycle?.ApplyTo(options);
        });
        _ = location.Kind switch
        {
            StoreKind.FileSystem => vault.PersistToFileSystem(location.Target),
            StoreKind.PostgreSql => vault.PersistToPostgreSql(location.Target),
            _ => vault.PersistToSqlServer(location.Target),
        };

        if (injection is not null)
        {
            vault.ConfigureInjection(injection);
        }

        ServiceProvider provider = services.BuildServiceProvider();
        return new VaultSession(provider, location) { KeyFilePath = settings.KeyFile ?? new RootCxVaultOptions().KeyFilePath };
    }

    /// <summary>Fails unless the store's key record names at least one key, that is, unless it was ever set up.</summary>
    /// <exception cref="OperatorException">The store was never set up.</exception>
    public async Task RequireSetUpAsync(CancellationToken cancellationToken)
    {
        if ((await Store.GetKeyIdsAsync(cancellationToken).ConfigureAwait(false)).Count == 0)
        {
            throw new OperatorException($"The store {Description} was never set up (its key record is empty); `rootcx-vault set` sets it up.");
        }
    }

    /// <summary>Tells the operator on stderr when this command created the key file: without a copy the store is lost.</summary>
    public async Task ReportKeyFileCreatedAsync(bool existedBefore, MasterKeyId keyId)
    {
        if (!existedBefore && File.Exists(KeyFilePath))
        {
            await System.Console.Error.WriteLineAsync(
                $"rootcx-vault: created the master key file '{Path.GetFullPath(KeyFilePath)}' (key id {keyId}). "
                + "Back it up: without it this store cannot be opened.").ConfigureAwait(false);
        }
    }

    public ValueTask DisposeAsync() => _services.DisposeAsync();

    private static string ReadKeyFile(string path)
    {
        try
        {
            return File.ReadAllText(path).Trim();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new OperatorException($"Could not read the previous key file '{Path.GetFullPath(path)}': {ex.Message}");
        }
    }
}
