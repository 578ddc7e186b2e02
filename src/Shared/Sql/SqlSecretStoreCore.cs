using System.Data.Common;
using System.Runtime.CompilerServices;
using Dapper;
using RootCx.Vault.Storage;

namespace RootCx.Vault.Sql;

/// <summary>
/// What the SQL stores share, compiled into each of them (src/Shared/Sql): the <see cref="ISecretStore"/> operations
/// over Dapper, given a store's statements and a way to open its connections, and the schema install that runs once
/// before the first operation and is tried again after a failure.
/// </summary>
internal sealed partial class SqlSecretStoreCore
{
    private readonly Func<CancellationToken, ValueTask<DbConnection>> _connect;
    private readonly Func<string> _describeStore;
    private readonly ISqlStoreCommands _sql;
    private readonly string? _installScript;
    private readonly int _commandTimeoutSeconds;
    private readonly Lock _installLock = new();
    private Task? _install;

    /// <param name="connect">Opens a connection.</param>
    /// <param name="describeStore">Names the store in errors, without credentials (its <c>ToString()</c>).</param>
    /// <param name="sql">The store's statements.</param>
    /// <param name="installScript">The schema install script, or <see langword="null"/> to leave the schema to a DBA.</param>
    /// <param name="commandTimeout">The command timeout.</param>
    public SqlSecretStoreCore(Func<CancellationToken, ValueTask<DbConnection>> connect, Func<string> describeStore, ISqlStoreCommands sql, string? installScript, TimeSpan commandTimeout)
    {
        _connect = connect;
        _describeStore = describeStore;
        _sql = sql;
        _installScript = installScript;
        _commandTimeoutSeconds = (int)commandTimeout.TotalSeconds;
    }

    public async ValueTask<StoredSecret?> GetAsync(SecretScope scope, SecretName name, CancellationToken cancellationToken)
    {
        SecretRow? row = await RunAsync(
            connection => connection.QuerySingleOrDefaultAsync<SecretRow>(Command(_sql.Get, Key(scope, name), cancellationToken)),
            cancellationToken).ConfigureAwait(false);
        return row?.ToStoredSecret(scope);
    }

    public async IAsyncEnumerable<StoredSecret> ListAsync(SecretScope scope, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        IEnumerable<SecretRow> rows = await RunAsync(
            connection => connection.QueryAsync<SecretRow>(Command(_sql.List, new { Namespace = scope.Namespace }, cancellationToken)),
            cancellationToken).ConfigureAwait(false);
        foreach (SecretRow row in rows)
        {
            yield return row.ToStoredSecret(scope);
        }
    }

    public ValueTask<StoredSecret> SetAsync(SecretScope scope, SecretName name, ReadOnlyMemory<byte> envelope, MasterKeyId keyId, DateTimeOffset timestamp, SecretPrecondition precondition, int maxVersions, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxVersions, 1);
        var parameters = new
        {
            Namespace = scope.Namespace,
            Name = name.Value,
            Envelope = envelope.ToArray(),
            KeyId = ToColumn(keyId),
            Timestamp = timestamp.ToUniversalTime(), // PostgreSQL's timestamptz takes UTC only; the instant is unchanged
            ExpectedVersion = precondition.ExpectedVersion ?? 0,
            MaxVersions = maxVersions,
        };
        string sql = precondition.IsNone ? _sql.Set : precondition.RequiresAbsent ? _sql.SetIfAbsent : _sql.SetIfVersion;
        return RunAsync(
            async connection =>
            {
                while (true)
                {
                    SecretRow? row = await WriteAsync(connection, sql, parameters, parameters.KeyId, cancellationToken).ConfigureAwait(false);
                    if (row is not null)
                    {
                        return row.ToStoredSecret(scope);
                    }

                    // Nothing written: the key was not recorded, or the precondition did not hold, or the row changed
                    // between the statement's read and its write (another write landed, and won): then again.
                    if (!await IsRecordedAsync(connection, parameters.KeyId, cancellationToken).ConfigureAwait(false))
                    {
                        throw UnrecordedKey(parameters.KeyId);
                    }

                    if (!precondition.IsNone)
                    {
                        long? current = await ReadVersionAsync(connection, scope, name, cancellationToken).ConfigureAwait(false);
                        if (!precondition.IsMetBy(current))
                        {
                            throw new SecretConflictException(scope, name, precondition, current);
                        }
                    }
                }
            },
            cancellationToken);
    }

    public ValueTask<StoredSecret?> ReplaceEnvelopeAsync(SecretScope scope, SecretName name, long expectedVersion, ReadOnlyMemory<byte> envelope, MasterKeyId keyId, CancellationToken cancellationToken)
    {
        var parameters = new
        {
            Namespace = scope.Namespace,
            Name = name.Value,
            ExpectedVersion = expectedVersion,
            Envelope = envelope.ToArray(),
            KeyId = ToColumn(keyId),
        };
        return RunAsync(
            async connection =>
            {
                SecretRow? row = await WriteAsync(connection, _sql.ReplaceEnvelope, parameters, parameters.KeyId, cancellationToken).ConfigureAwait(false);
                if (row is null && !await IsRecordedAsync(connection, parameters.KeyId, cancellationToken).ConfigureAwait(false))
                {
                    throw UnrecordedKey(parameters.KeyId);
                }

                return row?.ToStoredSecret(scope);
            },
            cancellationToken);
    }

    public async IAsyncEnumerable<SecretScope> ListScopesAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        IEnumerable<string> namespaces = await RunAsync(
            connection => connection.QueryAsync<string>(Command(_sql.Scopes, null, cancellationToken)),
            cancellationToken).ConfigureAwait(false);
        foreach (string @namespace in namespaces)
        {
            yield return SecretScope.FromNamespace(@namespace);
        }
    }

    public ValueTask<bool> DeleteAsync(SecretScope scope, SecretName name, DateTimeOffset timestamp, SecretPrecondition precondition, CancellationToken cancellationToken) =>
        RunAsync(
            async connection =>
            {
                DateTimeOffset deletedAt = timestamp.ToUniversalTime();
                if (precondition.IsNone)
                {
                    var parameters = new { Namespace = scope.Namespace, Name = name.Value, Timestamp = deletedAt };
                    return await connection.ExecuteScalarAsync<long>(Command(_sql.Delete, parameters, cancellationToken)).ConfigureAwait(false) > 0;
                }

                // Only a live secret at the expected version is deleted. A create-only precondition deletes nothing:
                // it holds when the secret is absent, and fails otherwise.
                if (precondition.ExpectedVersion is { } expected)
                {
                    var parameters = new { Namespace = scope.Namespace, Name = name.Value, Timestamp = deletedAt, ExpectedVersion = expected };
                    if (await connection.ExecuteScalarAsync<long>(Command(_sql.DeleteIfVersion, parameters, cancellationToken)).ConfigureAwait(false) > 0)
                    {
                        return true;
                    }
                }
                else if (await ReadVersionAsync(connection, scope, name, cancellationToken).ConfigureAwait(false) is null)
                {
                    return false;
                }

                throw await ConflictAsync(connection, scope, name, precondition, cancellationToken).ConfigureAwait(false);
            },
            cancellationToken);

    public async ValueTask<IReadOnlySet<MasterKeyId>> GetKeyIdsAsync(CancellationToken cancellationToken) =>
        await RunAsync(connection => ReadKeyIdsAsync(connection, null, cancellationToken), cancellationToken).ConfigureAwait(false);

    public ValueTask<IReadOnlySet<MasterKeyId>> AddKeyIdAsync(MasterKeyId keyId, MasterKeyId? admittedBy, CancellationToken cancellationToken) =>
        RunAsync(connection => AddKeyIdAsync(connection, keyId, admittedBy, cancellationToken), cancellationToken);

    public ValueTask<bool> RemoveKeyIdAsync(MasterKeyId keyId, CancellationToken cancellationToken) =>
        RunAsync(connection => RemoveKeyIdAsync(connection, keyId, cancellationToken), cancellationToken);

    public ValueTask<long> GetChangeVersionAsync(CancellationToken cancellationToken) =>
        RunAsync(connection => connection.ExecuteScalarAsync<long>(Command(_sql.ChangeVersion, null, cancellationToken)), cancellationToken);

    public async ValueTask<IReadOnlyCollection<SecretScope>> GetChangedScopesAsync(long since, long until, IReadOnlyCollection<SecretScope> scopes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scopes);
        if (scopes.Count == 0 || until <= since)
        {
            return [];
        }

        // The scopes written in the range, filtered here: a list of every watched scope as parameters would not scale
        // (SQL Server takes 2,100), and what changed is the short list.
        IEnumerable<string> namespaces = await RunAsync(
            connection => connection.QueryAsync<string>(Command(_sql.ChangedScopes, new { Since = since, Until = until }, cancellationToken)),
            cancellationToken).ConfigureAwait(false);
        var watched = scopes.Select(s => s.Namespace).ToHashSet(StringComparer.Ordinal);
        return [.. namespaces.Where(watched.Contains).Select(SecretScope.FromNamespace)];
    }

    private async Task<IReadOnlySet<MasterKeyId>> AddKeyIdAsync(DbConnection connection, MasterKeyId keyId, MasterKeyId? admittedBy, CancellationToken cancellationToken)
    {
        await using DbTransaction transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);

        // Under the lock, two processes setting up an empty store cannot both see it empty.
        await connection.ExecuteAsync(Command(_sql.LockKeyRecord, null, cancellationToken, transaction)).ConfigureAwait(false);
        HashSet<MasterKeyId> recorded = await ReadKeyIdsAsync(connection, transaction, cancellationToken).ConfigureAwait(false);
        bool admitted = admittedBy is { } admitting ? recorded.Contains(admitting) : recorded.Count == 0;
        if (admitted && recorded.Add(keyId))
        {
            await connection.ExecuteAsync(Command(_sql.AddKeyId, new { KeyId = ToColumn(keyId) }, cancellationToken, transaction)).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return recorded;
    }

    private async Task<bool> RemoveKeyIdAsync(DbConnection connection, MasterKeyId keyId, CancellationToken cancellationToken)
    {
        try
        {
            return await connection.ExecuteAsync(Command(_sql.RemoveKeyId, new { KeyId = ToColumn(keyId) }, cancellationToken)).ConfigureAwait(false) > 0;
        }
        catch (DbException ex) when (_sql.IsForeignKeyViolation(ex))
        {
            // A secret sealed under the key landed while it was being removed: the key stays.
            return false;
        }
    }

    // The version read after the refusal, for the error only: the refusal itself was decided by the statement.
    private async Task<SecretConflictException> ConflictAsync(DbConnection connection, SecretScope scope, SecretName name, SecretPrecondition precondition, CancellationToken cancellationToken) =>
        new(scope, name, precondition, await ReadVersionAsync(connection, scope, name, cancellationToken).ConfigureAwait(false));

    private async Task<long?> ReadVersionAsync(DbConnection connection, SecretScope scope, SecretName name, CancellationToken cancellationToken) =>
        (await connection.QuerySingleOrDefaultAsync<SecretRow>(Command(_sql.Get, Key(scope, name), cancellationToken)).ConfigureAwait(false))?.Version;

    private static object Key(SecretScope scope, SecretName name) => new { Namespace = scope.Namespace, Name = name.Value };

    // Key ids are stored as a signed 32-bit integer, the widest integer type both databases share.
    private static int ToColumn(MasterKeyId keyId) => unchecked((int)keyId.Value);

    private static MasterKeyId FromColumn(int keyId) => new(unchecked((uint)keyId));

    private static SecretStoreException UnrecordedKey(int keyId) =>
        new($"The envelope is sealed under master key {FromColumn(keyId)}, which the store was not set up with; nothing was written.");

    private Task<SecretRow?> WriteAsync(DbConnection connection, string sql, object parameters, int keyId, CancellationToken cancellationToken) =>
        UnderRecordedKeyAsync(() => connection.QuerySingleOrDefaultAsync<SecretRow>(Command(sql, parameters, cancellationToken)), keyId);

    private async Task<T> UnderRecordedKeyAsync<T>(Func<Task<T>> write, int keyId)
    {
        try
        {
            return await write().ConfigureAwait(false);
        }
        catch (DbException ex) when (_sql.IsForeignKeyViolation(ex))
        {
            // The key id was removed from the record between the statement's check and its write.
            throw UnrecordedKey(keyId);
        }
    }

    private async Task<HashSet<MasterKeyId>> ReadKeyIdsAsync(DbConnection connection, DbTransaction? transaction, CancellationToken cancellationToken) =>
        (await connection.QueryAsync<int>(Command(_sql.KeyIds, null, cancellationToken, transaction)).ConfigureAwait(false)).Select(FromColumn).ToHashSet();

    private async Task<bool> IsRecordedAsync(DbConnection connection, int keyId, CancellationToken cancellationToken) =>
        await connection.ExecuteScalarAsync<long>(Command(_sql.IsKeyRecorded, new { KeyId = keyId }, cancellationToken)).ConfigureAwait(false) > 0;

    /// <summary>
    /// Runs one operation on a fresh connection, after the schema install (also what a store's audit log runs on). Every driver error (unreachable server, timeout, failed install)
    /// surfaces as <see cref="SecretStoreException"/> with the driver's exception inside, as every store reports
    /// failures; a canceled call surfaces as cancellation, whatever the driver makes of it.
    /// </summary>
    public async ValueTask<T> RunAsync<T>(Func<DbConnection, Task<T>> operation, CancellationToken cancellationToken)
    {
        try
        {
            await using DbConnection connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
            return await operation(connection).ConfigureAwait(false);
        }
        catch (DbException ex) when (cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException("The store operation was canceled.", ex, cancellationToken);
        }
        catch (DbException ex)
        {
            throw new SecretStoreException($"The store {_describeStore()} could not complete the operation; the inner exception holds the driver's error.", ex);
        }
    }

    private async ValueTask<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        await EnsureSchemaAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
        return await _connect(cancellationToken).ConfigureAwait(false);
    }

    private Task EnsureSchemaAsync()
    {
        // Every operation passes here: once the install has succeeded, no lock is taken.
        Task? install = Volatile.Read(ref _install);
        if (_installScript is null || install is { IsCompletedSuccessfully: true })
        {
            return Task.CompletedTask;
        }

        lock (_installLock)
        {
            // An install that failed (the server was not reachable yet) is tried again, not remembered.
            if (_install is null || _install.IsFaulted || _install.IsCanceled)
            {
                _install = InstallAsync(_installScript);
            }

            return _install;
        }
    }

    // A schema newer than this build knows is refused by the script before it changes anything (upgrades are one-way:
    // this build would misread what a newer one wrote), and reported as such rather than as a driver error.
    private async Task InstallAsync(string script)
    {
        await using DbConnection connection = await _connect(CancellationToken.None).ConfigureAwait(false);
        try
        {
            await connection.ExecuteAsync(new CommandDefinition(script, commandTimeout: _commandTimeoutSeconds)).ConfigureAwait(false);
        }
        catch (DbException ex) when (_sql.NewerSchemaRefusal(ex) is { } refusal)
        {
            throw new SecretStoreException($"The store {_describeStore()} refuses its schema, and changed nothing: {refusal}.", ex);
        }
    }

    private CommandDefinition Command(string sql, object? parameters, CancellationToken cancellationToken, DbTransaction? transaction = null) =>
        new(sql, parameters, transaction, _commandTimeoutSeconds, cancellationToken: cancellationToken);

    /// <summary>
    /// A row of a secrets or history table, as Dapper materializes it; <see cref="Namespace"/> and
    /// <see cref="DeletedAt"/> only where a statement returns them.
    /// </summary>
    private sealed class SecretRow
    {
        public string? Namespace { get; set; }

        public string Name { get; set; } = string.Empty;

        public byte[] Envelope { get; set; } = [];

        public object CreatedAt { get; set; } = DateTimeOffset.MinValue;

        public object UpdatedAt { get; set; } = DateTimeOffset.MinValue;

        public int KeyId { get; set; }

        public long Version { get; set; }

        public object? DeletedAt { get; set; }

        public StoredSecret ToStoredSecret(SecretScope scope) =>
            new(scope, SecretName.Parse(Name), Envelope, FromColumn(KeyId), Instant(CreatedAt), Instant(UpdatedAt), Version);

        public DeletedSecret ToDeletedSecret(SecretScope scope) =>
            new(ToStoredSecret(scope), Instant(DeletedAt ?? throw new InvalidCastException("A deleted secret came back without its deletion time.")));

        // SqlClient reads datetimeoffset as a DateTimeOffset; Npgsql reads timestamptz as a UTC DateTime.
        private static DateTimeOffset Instant(object value) => value switch
        {
            DateTimeOffset instant => instant,
            DateTime utc => new DateTimeOffset(DateTime.SpecifyKind(utc, DateTimeKind.Utc)),
            _ => throw new InvalidCastException($"A secret's time came back as {value.GetType()}, not a date and time."),
        };
    }
}
