using System.Data;
using System.Runtime.CompilerServices;
using Dapper;
using Microsoft.Data.SqlClient;
using RootCx.Vault.Cryptography;
using RootCx.Vault.Storage;

namespace RootCx.Vault.SqlServer;

/// <summary>
/// Stores secrets in SQL Server: one row per secret, names unique ignoring case by column collation, and a one-row
/// change version moved in the same transaction as every write.
/// </summary>
public sealed class SqlServerSecretStore : ISecretStore
{
    private readonly string _connectionString;
    private readonly SqlServerSecretStoreOptions _options;
    private readonly SqlServerCommands _sql;
    private readonly Lock _installLock = new();
    private Task? _install;

    /// <summary>Creates a store on <paramref name="connectionString"/>.</summary>
    /// <param name="connectionString">The SQL Server connection string.</param>
    /// <param name="options">The store options; defaults when <see langword="null"/>.</param>
    public SqlServerSecretStore(string connectionString, SqlServerSecretStoreOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        _connectionString = connectionString;
        _options = options ?? new SqlServerSecretStoreOptions();
        _sql = new SqlServerCommands(SqlServerSchema.Quote(_options.SchemaName));
    }

    /// <inheritdoc />
    public async ValueTask<StoredSecret?> GetAsync(SecretScope scope, SecretName name, CancellationToken cancellationToken = default)
    {
        await using SqlConnection connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        SecretRow? row = await connection.QuerySingleOrDefaultAsync<SecretRow>(Command(_sql.Get, new { Namespace = scope.Namespace, Name = name.Value }, cancellationToken)).ConfigureAwait(false);
        return row?.ToStoredSecret(scope);
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<StoredSecret> ListAsync(SecretScope scope, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await using SqlConnection connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        foreach (SecretRow row in await connection.QueryAsync<SecretRow>(Command(_sql.List, new { Namespace = scope.Namespace }, cancellationToken)).ConfigureAwait(false))
        {
            yield return row.ToStoredSecret(scope);
        }
    }

    /// <inheritdoc />
    public async ValueTask<StoredSecret> SetAsync(SecretScope scope, SecretName name, ReadOnlyMemory<byte> envelope, DateTimeOffset timestamp, CancellationToken cancellationToken = default)
    {
        await using SqlConnection connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        var parameters = new
        {
            Namespace = scope.Namespace,
            Name = name.Value,
            Envelope = envelope.ToArray(),
            KeyId = unchecked((int)MasterKeyId.ReadFromEnvelope(envelope.Span).Value),
            Timestamp = timestamp,
        };
        SecretRow row = await connection.QuerySingleAsync<SecretRow>(Command(_sql.Set, parameters, cancellationToken)).ConfigureAwait(false);
        return row.ToStoredSecret(scope);
    }

    /// <inheritdoc />
    public async ValueTask<StoredSecret?> ReplaceEnvelopeAsync(SecretScope scope, SecretName name, long expectedVersion, ReadOnlyMemory<byte> envelope, CancellationToken cancellationToken = default)
    {
        await using SqlConnection connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        var parameters = new
        {
            Namespace = scope.Namespace,
            Name = name.Value,
            ExpectedVersion = expectedVersion,
            Envelope = envelope.ToArray(),
            KeyId = unchecked((int)MasterKeyId.ReadFromEnvelope(envelope.Span).Value),
        };
        SecretRow? row = await connection.QuerySingleOrDefaultAsync<SecretRow>(Command(_sql.ReplaceEnvelope, parameters, cancellationToken)).ConfigureAwait(false);
        return row?.ToStoredSecret(scope);
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<SecretScope> ListScopesAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await using SqlConnection connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        foreach (string @namespace in await connection.QueryAsync<string>(Command(_sql.Scopes, null, cancellationToken)).ConfigureAwait(false))
        {
            yield return SecretScope.FromNamespace(@namespace);
        }
    }

    /// <inheritdoc />
    public async ValueTask<bool> DeleteAsync(SecretScope scope, SecretName name, CancellationToken cancellationToken = default)
    {
        await using SqlConnection connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        int deleted = await connection.ExecuteScalarAsync<int>(Command(_sql.Delete, new { Namespace = scope.Namespace, Name = name.Value }, cancellationToken)).ConfigureAwait(false);
        return deleted > 0;
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlySet<MasterKeyId>> GetKeyIdsInUseAsync(CancellationToken cancellationToken = default)
    {
        await using SqlConnection connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        IEnumerable<int> ids = await connection.QueryAsync<int>(Command(_sql.KeyIds, null, cancellationToken)).ConfigureAwait(false);
        return ids.Select(id => new MasterKeyId(unchecked((uint)id))).ToHashSet();
    }

    /// <inheritdoc />
    public async ValueTask<long> GetChangeVersionAsync(CancellationToken cancellationToken = default)
    {
        await using SqlConnection connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        return await connection.ExecuteScalarAsync<long>(Command(_sql.ChangeVersion, null, cancellationToken)).ConfigureAwait(false);
    }

    /// <summary>Names the server and database, never the connection string (which may hold a password).</summary>
    /// <returns>For example <c>SqlServerSecretStore(db01@vault)</c>.</returns>
    public override string ToString()
    {
        var builder = new SqlConnectionStringBuilder(_connectionString);
        return $"SqlServerSecretStore({builder.DataSource}@{builder.InitialCatalog})";
    }

    private async Task<SqlConnection> OpenAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        await EnsureSchemaAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
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

    private Task EnsureSchemaAsync()
    {
        if (!_options.PrepareSchemaIfNecessary)
        {
            return Task.CompletedTask;
        }

        lock (_installLock)
        {
            // An install that failed (the server was not reachable yet) is tried again, not remembered.
            if (_install is null || _install.IsFaulted || _install.IsCanceled)
            {
                _install = InstallAsync();
            }

            return _install;
        }
    }

    private async Task InstallAsync()
    {
        await using var connection = new SqlConnection(_connectionString);
        await connection.OpenAsync().ConfigureAwait(false);
        await connection.ExecuteAsync(new CommandDefinition(SqlServerSchema.InstallScript(_options.SchemaName), commandTimeout: (int)_options.CommandTimeout.TotalSeconds)).ConfigureAwait(false);
    }

    private CommandDefinition Command(string sql, object? parameters, CancellationToken cancellationToken) =>
        new(sql, parameters, commandTimeout: (int)_options.CommandTimeout.TotalSeconds, cancellationToken: cancellationToken);

    /// <summary>A row of the Secrets table, as Dapper materializes it.</summary>
    private sealed class SecretRow
    {
        public string Name { get; set; } = string.Empty;

        public byte[] Envelope { get; set; } = [];

        public DateTimeOffset CreatedAt { get; set; }

        public DateTimeOffset UpdatedAt { get; set; }

        public long Version { get; set; }

        public StoredSecret ToStoredSecret(SecretScope scope) =>
            new(scope, SecretName.Parse(Name), Envelope, CreatedAt, UpdatedAt, Version);
    }
}
