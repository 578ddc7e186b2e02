using System.Runtime.CompilerServices;
using Dapper;
using Npgsql;
using RootCx.Vault.Cryptography;
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
    private readonly PostgreSqlSecretStoreOptions _options;
    private readonly PostgreSqlCommands _sql;
    private readonly Lock _installLock = new();
    private Task? _install;

    /// <summary>Creates a store on <paramref name="connectionString"/>.</summary>
    /// <param name="connectionString">The Npgsql connection string.</param>
    /// <param name="options">The store options; defaults when <see langword="null"/>.</param>
    public PostgreSqlSecretStore(string connectionString, PostgreSqlSecretStoreOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        _options = options ?? new PostgreSqlSecretStoreOptions();
        _sql = new PostgreSqlCommands(PostgreSqlSchema.Quote(_options.SchemaName));
        _dataSource = NpgsqlDataSource.Create(connectionString);
    }

    /// <inheritdoc />
    public async ValueTask<StoredSecret?> GetAsync(SecretScope scope, SecretName name, CancellationToken cancellationToken = default)
    {
        await using NpgsqlConnection connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        SecretRow? row = await connection.QuerySingleOrDefaultAsync<SecretRow>(Command(_sql.Get, Key(scope, name), cancellationToken)).ConfigureAwait(false);
        return row?.ToStoredSecret(scope);
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<StoredSecret> ListAsync(SecretScope scope, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await using NpgsqlConnection connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        foreach (SecretRow row in await connection.QueryAsync<SecretRow>(Command(_sql.List, new { Namespace = scope.Namespace }, cancellationToken)).ConfigureAwait(false))
        {
            yield return row.ToStoredSecret(scope);
        }
    }

    /// <inheritdoc />
    public async ValueTask<StoredSecret> SetAsync(SecretScope scope, SecretName name, ReadOnlyMemory<byte> envelope, DateTimeOffset timestamp, CancellationToken cancellationToken = default)
    {
        await using NpgsqlConnection connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        var parameters = new
        {
            Namespace = scope.Namespace,
            Name = name.Value,
            Envelope = envelope.ToArray(),
            KeyId = KeyIdOf(envelope),
            Timestamp = timestamp.ToUniversalTime(), // timestamptz takes UTC only
        };
        SecretRow row = await connection.QuerySingleAsync<SecretRow>(Command(_sql.Set, parameters, cancellationToken)).ConfigureAwait(false);
        return row.ToStoredSecret(scope);
    }

    /// <inheritdoc />
    public async ValueTask<StoredSecret?> ReplaceEnvelopeAsync(SecretScope scope, SecretName name, long expectedVersion, ReadOnlyMemory<byte> envelope, CancellationToken cancellationToken = default)
    {
        await using NpgsqlConnection connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        var parameters = new
        {
            Namespace = scope.Namespace,
            NameKey = NameKey(name),
            ExpectedVersion = expectedVersion,
            Envelope = envelope.ToArray(),
            KeyId = KeyIdOf(envelope),
        };
        SecretRow? row = await connection.QuerySingleOrDefaultAsync<SecretRow>(Command(_sql.ReplaceEnvelope, parameters, cancellationToken)).ConfigureAwait(false);
        return row?.ToStoredSecret(scope);
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<SecretScope> ListScopesAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await using NpgsqlConnection connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        foreach (string @namespace in await connection.QueryAsync<string>(Command(_sql.Scopes, null, cancellationToken)).ConfigureAwait(false))
        {
            yield return SecretScope.FromNamespace(@namespace);
        }
    }

    /// <inheritdoc />
    public async ValueTask<bool> DeleteAsync(SecretScope scope, SecretName name, CancellationToken cancellationToken = default)
    {
        await using NpgsqlConnection connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        long deleted = await connection.ExecuteScalarAsync<long>(Command(_sql.Delete, Key(scope, name), cancellationToken)).ConfigureAwait(false);
        return deleted > 0;
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlySet<MasterKeyId>> GetKeyIdsInUseAsync(CancellationToken cancellationToken = default)
    {
        await using NpgsqlConnection connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        IEnumerable<int> ids = await connection.QueryAsync<int>(Command(_sql.KeyIds, null, cancellationToken)).ConfigureAwait(false);
        return ids.Select(id => new MasterKeyId(unchecked((uint)id))).ToHashSet();
    }

    /// <inheritdoc />
    public async ValueTask<long> GetChangeVersionAsync(CancellationToken cancellationToken = default)
    {
        await using NpgsqlConnection connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        return await connection.ExecuteScalarAsync<long>(Command(_sql.ChangeVersion, null, cancellationToken)).ConfigureAwait(false);
    }

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

    private static object Key(SecretScope scope, SecretName name) => new { Namespace = scope.Namespace, NameKey = NameKey(name) };

    /// <summary>The same key the table's generated column computes: names are ASCII, so invariant upper case is C's.</summary>
    private static string NameKey(SecretName name) => name.Value.ToUpperInvariant();

    private static int KeyIdOf(ReadOnlyMemory<byte> envelope) => unchecked((int)MasterKeyId.ReadFromEnvelope(envelope.Span).Value);

    private async Task<NpgsqlConnection> OpenAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        await EnsureSchemaAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
        return await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
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
        await using NpgsqlConnection connection = await _dataSource.OpenConnectionAsync().ConfigureAwait(false);
        await connection.ExecuteAsync(new CommandDefinition(PostgreSqlSchema.InstallScript(_options.SchemaName), commandTimeout: (int)_options.CommandTimeout.TotalSeconds)).ConfigureAwait(false);
    }

    private CommandDefinition Command(string sql, object? parameters, CancellationToken cancellationToken) =>
        new(sql, parameters, commandTimeout: (int)_options.CommandTimeout.TotalSeconds, cancellationToken: cancellationToken);

    /// <summary>A row of the secrets table, as Dapper materializes it.</summary>
    private sealed class SecretRow
    {
        public string Name { get; set; } = string.Empty;

        public byte[] Envelope { get; set; } = [];

        public DateTime CreatedAt { get; set; }

        public DateTime UpdatedAt { get; set; }

        public long Version { get; set; }

        // Npgsql reads timestamptz as a UTC DateTime.
        public StoredSecret ToStoredSecret(SecretScope scope) =>
            new(scope, SecretName.Parse(Name), Envelope, new DateTimeOffset(CreatedAt, TimeSpan.Zero), new DateTimeOffset(UpdatedAt, TimeSpan.Zero), Version);
    }
}
