using System.Data.Common;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Primitives;
using Npgsql;
using RootCx.Vault.Sql;
using RootCx.Vault.Storage;

namespace RootCx.Vault.PostgreSql;

/// <summary>
/// Stores secrets in PostgreSQL: one row per secret, keyed by namespace and the upper-cased name (so names are unique
/// ignoring case), and a one-row change version moved by the same statement as every write. Timestamps are kept to
/// the microsecond, PostgreSQL's precision.
/// </summary>
public sealed partial class PostgreSqlSecretStore : ISecretStore, IAsyncDisposable, IDisposable
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly bool _ownsDataSource;
    private readonly SqlSecretStoreCore _core;
    private readonly PostgreSqlChangeListener _listener;

    /// <summary>
    /// Creates a store on <paramref name="connectionString"/>, with a connection pool it owns and disposes. Its
    /// connections keep the store's frequent statements prepared (Npgsql's Max Auto Prepare, 20), unless the connection
    /// string sets Max Auto Prepare: set it to 0 behind PgBouncer in transaction mode before version 1.21.
    /// </summary>
    /// <param name="connectionString">The Npgsql connection string.</param>
    /// <param name="options">The store options; defaults when <see langword="null"/>.</param>
    /// <param name="logger">Where the change listener reports a lost connection; nowhere when <see langword="null"/>.</param>
    public PostgreSqlSecretStore(string connectionString, PostgreSqlSecretStoreOptions? options, ILogger<PostgreSqlSecretStore>? logger)
        : this(PostgreSqlOwnedDataSource.Create(connectionString), ownsDataSource: true, options, logger)
    {
    }

    /// <summary>
    /// Creates a store on a data source the caller owns: disposing the store leaves it open. Its settings are the
    /// caller's: statements are prepared only if it enables Max Auto Prepare, without which every statement is planned
    /// on each call.
    /// </summary>
    /// <param name="dataSource">The Npgsql data source, for example the one a host registered.</param>
    /// <param name="options">The store options; defaults when <see langword="null"/>.</param>
    /// <param name="logger">Where the change listener reports a lost connection; nowhere when <see langword="null"/>.</param>
    public PostgreSqlSecretStore(NpgsqlDataSource dataSource, PostgreSqlSecretStoreOptions? options, ILogger<PostgreSqlSecretStore>? logger)
        : this(dataSource ?? throw new ArgumentNullException(nameof(dataSource)), ownsDataSource: false, options, logger)
    {
    }

    private PostgreSqlSecretStore(NpgsqlDataSource dataSource, bool ownsDataSource, PostgreSqlSecretStoreOptions? options, ILogger<PostgreSqlSecretStore>? logger)
    {
        options ??= new PostgreSqlSecretStoreOptions();
        var commands = new PostgreSqlCommands(PostgreSqlSchema.Quote(options.SchemaName));
        _dataSource = dataSource;
        _ownsDataSource = ownsDataSource;
        _listener = new PostgreSqlChangeListener(_dataSource, options.SchemaName, (ILogger?)logger ?? NullLogger.Instance);
        _core = new SqlSecretStoreCore(
            OpenAsync,
            ToString,
            commands,
            options.PrepareSchemaIfNecessary ? PostgreSqlSchema.InstallScript(options.SchemaName) : null,
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
    /// LISTENs on one dedicated connection, opened on the first call; the server notifies when a write commits. While
    /// the connection is lost the token fires and the listener reconnects by itself.
    /// </remarks>
    public IChangeToken WatchChanges() => _listener.Watch();

    /// <summary>Names the host, port and database, never the connection string (which may hold a password).</summary>
    /// <returns>For example <c>PostgreSqlSecretStore(db01:5432/vault)</c>.</returns>
    public override string ToString()
    {
        var builder = new NpgsqlConnectionStringBuilder(_dataSource.ConnectionString);
        return $"PostgreSqlSecretStore({builder.Host}:{builder.Port}/{builder.Database})";
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _listener.DisposeAsync().ConfigureAwait(false);
        if (_ownsDataSource)
        {
            await _dataSource.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    /// <summary>Runs <paramref name="operation"/> on a connection once the schema is installed, with the store's error handling.</summary>
    internal ValueTask<T> RunAsync<T>(Func<DbConnection, Task<T>> operation, CancellationToken cancellationToken) =>
        _core.RunAsync(operation, cancellationToken);

    private async ValueTask<DbConnection> OpenAsync(CancellationToken cancellationToken) =>
        await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
}
