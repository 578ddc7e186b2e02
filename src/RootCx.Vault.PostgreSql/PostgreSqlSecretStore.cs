using System.Data.Common;
using Npgsql;
using RootCx.Vault.Cryptography;
using RootCx.Vault.Sql;
using RootCx.Vault.Storage;

namespace RootCx.Vault.PostgreSql;

/// <summary>
/// Stores secrets in PostgreSQL: one row per secret, keyed by namespace and the upper-cased name (so names are unique
/// ignoring case), and a one-row change version moved by the same statement as every write. Timestamps are kept to
/// the microsecond, PostgreSQL's precision.
/// </summary>
public sealed class PostgreSqlSecretStore : ISecretStore, IAsyncDisposable, IDisposable
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly SqlSecretStoreCore _core;

    /// <summary>Creates a store on <paramref name="connectionString"/>.</summary>
    /// <param name="connectionString">The Npgsql connection string.</param>
    /// <param name="options">The store options; defaults when <see langword="null"/>.</param>
    public PostgreSqlSecretStore(string connectionString, PostgreSqlSecretStoreOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        options ??= new PostgreSqlSecretStoreOptions();
        var commands = new PostgreSqlCommands(PostgreSqlSchema.Quote(options.SchemaName));
        _dataSource = NpgsqlDataSource.Create(connectionString);
        _core = new SqlSecretStoreCore(
            OpenAsync,
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
    public ValueTask<StoredSecret> SetAsync(SecretScope scope, SecretName name, ReadOnlyMemory<byte> envelope, DateTimeOffset timestamp, CancellationToken cancellationToken = default) =>
        _core.SetAsync(scope, name, envelope, timestamp, cancellationToken);

    /// <inheritdoc />
    public ValueTask<StoredSecret?> ReplaceEnvelopeAsync(SecretScope scope, SecretName name, long expectedVersion, ReadOnlyMemory<byte> envelope, CancellationToken cancellationToken = default) =>
        _core.ReplaceEnvelopeAsync(scope, name, expectedVersion, envelope, cancellationToken);

    /// <inheritdoc />
    public IAsyncEnumerable<SecretScope> ListScopesAsync(CancellationToken cancellationToken = default) =>
        _core.ListScopesAsync(cancellationToken);

    /// <inheritdoc />
    public ValueTask<bool> DeleteAsync(SecretScope scope, SecretName name, CancellationToken cancellationToken = default) =>
        _core.DeleteAsync(scope, name, cancellationToken);

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

    /// <summary>Names the host, port and database, never the connection string (which may hold a password).</summary>
    /// <returns>For example <c>PostgreSqlSecretStore(db01:5432/vault)</c>.</returns>
    public override string ToString()
    {
        var builder = new NpgsqlConnectionStringBuilder(_dataSource.ConnectionString);
        return $"PostgreSqlSecretStore({builder.Host}:{builder.Port}/{builder.Database})";
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();

    /// <inheritdoc />
    public void Dispose() => _dataSource.Dispose();

    private async ValueTask<DbConnection> OpenAsync(CancellationToken cancellationToken) =>
        await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
}
