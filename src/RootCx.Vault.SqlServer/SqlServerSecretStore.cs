using System.Data.Common;
using Microsoft.Data.SqlClient;
using Microsoft.Extensions.Primitives;
using RootCx.Vault.Sql;
using RootCx.Vault.Storage;

namespace RootCx.Vault.SqlServer;

/// <summary>
/// Stores secrets in SQL Server: one row per secret, names unique ignoring case by column collation, and a one-row
/// change version moved in the same transaction as every write.
/// </summary>
public sealed partial class SqlServerSecretStore : ISecretStore
{
    private readonly string _connectionString;
    private readonly SqlSecretStoreCore _core;

    /// <summary>Creates a store on <paramref name="connectionString"/>.</summary>
    /// <param name="connectionString">The SQL Server connection string.</param>
    /// <param name="options">The store options; defaults when <see langword="null"/>.</param>
    public SqlServerSecretStore(string connectionString, SqlServerSecretStoreOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        _connectionString = connectionString;
        options ??= new SqlServerSecretStoreOptions();
        _core = new SqlSecretStoreCore(
            OpenAsync,
            ToString,
            new SqlServerCommands(SqlServerSchema.Quote(options.SchemaName)),
            options.PrepareSchemaIfNecessary ? SqlServerSchema.InstallScript(options.SchemaName) : null,
            options.CommandTimeout);
    }

    /// <inheritdoc />
    public ValueTask<StoredSecret?> GetAsync(SecretScope scope, SecretName name, CancellationToken cancellationToken = default) =>
        _core.GetAsync(scope, name, cancellationToken);

    /// <inheritdoc />
    public IAsyncEnumerable<StoredSecret> ListAsync(SecretScope scope, CancellationToken cancellationToken = default) =>
        _core.ListAsync(scope, cancellationToken);

    /// <inheritdoc />
    public ValueTask<StoredSecret> SetAsync(SecretScope scope, SecretName name, ReadOnlyMemory<byte> envelope, MasterKeyId keyId, DateTimeOffset timestamp, SecretPrecondition precondition, int maxVersions, CancellationToken cancellationToken = default) =>
        _core.SetAsync(scope, name, envelope, keyId, timestamp, precondition, maxVersions, cancellationToken);

    /// <inheritdoc />
    public ValueTask<StoredSecret?> ReplaceEnvelopeAsync(SecretScope scope, SecretName name, long expectedVersion, ReadOnlyMemory<byte> envelope, MasterKeyId keyId, CancellationToken cancellationToken = default) =>
        _core.ReplaceEnvelopeAsync(scope, name, expectedVersion, envelope, keyId, cancellationToken);

    /// <inheritdoc />
    public IAsyncEnumerable<SecretScope> ListScopesAsync(CancellationToken cancellationToken = default) =>
        _core.ListScopesAsync(cancellationToken);

    /// <inheritdoc />
    public ValueTask<bool> DeleteAsync(SecretScope scope, SecretName name, DateTimeOffset timestamp, SecretPrecondition precondition, CancellationToken cancellationToken = default) =>
        _core.DeleteAsync(scope, name, timestamp, precondition, cancellationToken);

    /// <inheritdoc />
    public ValueTask<IReadOnlySet<MasterKeyId>> GetKeyIdsAsync(CancellationToken cancellationToken = default) =>
        _core.GetKeyIdsAsync(cancellationToken);

    /// <inheritdoc />
    public ValueTask<IReadOnlySet<MasterKeyId>> AddKeyIdAsync(MasterKeyId keyId, MasterKeyId? admittedBy, CancellationToken cancellationToken = default) =>
        _core.AddKeyIdAsync(keyId, admittedBy, cancellationToken);

    /// <inheritdoc />
    public ValueTask<bool> RemoveKeyIdAsync(MasterKeyId keyId, CancellationToken cancellationToken = default) =>
        _core.RemoveKeyIdAsync(keyId, cancellationToken);

    /// <inheritdoc />
    public ValueTask<long> GetChangeVersionAsync(CancellationToken cancellationToken = default) =>
        _core.GetChangeVersionAsync(cancellationToken);

    /// <inheritdoc />
    public ValueTask<IReadOnlyCollection<SecretScope>> GetChangedScopesAsync(long since, long until, IReadOnlyCollection<SecretScope> scopes, CancellationToken cancellationToken = default) =>
        _core.GetChangedScopesAsync(since, until, scopes, cancellationToken);

    /// <inheritdoc />
    /// <remarks>
    /// SQL Server has no notification the store uses (query notifications need Service Broker): this token never
    /// fires, and other processes' changes are found by polling, every
    /// <see cref="RootCxVaultOptions.ChangePollInterval"/>.
    /// </remarks>
    public IChangeToken WatchChanges() => new CancellationChangeToken(CancellationToken.None);

    /// <summary>Names the server and database, never the connection string (which may hold a password).</summary>
    /// <returns>For example <c>SqlServerSecretStore(db01@vault)</c>.</returns>
    public override string ToString()
    {
        var builder = new SqlConnectionStringBuilder(_connectionString);
        return $"SqlServerSecretStore({builder.DataSource}@{builder.InitialCatalog})";
    }

    /// <summary>Runs <paramref name="operation"/> on a connection once the schema is installed, with the store's error handling.</summary>
    internal ValueTask<T> RunAsync<T>(Func<DbConnection, Task<T>> operation, CancellationToken cancellationToken) =>
        _core.RunAsync(operation, cancellationToken);

    private async ValueTask<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqlConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }
}
