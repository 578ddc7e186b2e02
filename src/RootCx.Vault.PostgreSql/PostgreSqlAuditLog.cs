using System.Data.Common;
using Dapper;
using RootCx.Vault.Audit;
using RootCx.Vault.Sql;

namespace RootCx.Vault.PostgreSql;

/// <summary>
/// The PostgreSQL store's durable audit log: table <c>audit_events</c> (schema version 3). An append takes a
/// transaction-scoped advisory lock of its own, reads the last row and inserts the next, so writers in every process
/// make one linear chain; the primary key on <c>seq</c> would refuse a fork even without the lock.
/// </summary>
internal sealed class PostgreSqlAuditLog : ISecretAuditLog
{
    private const string Columns = "seq AS Seq, time AS Time, actor AS Actor, action AS Action, namespace AS Namespace, name AS Name, version AS Version, key_id AS KeyId, outcome AS Outcome, prev_hash AS PrevHash, hash AS Hash";

    private readonly PostgreSqlSecretStore _store;
    private readonly string _table;
    private readonly string _lockKey;

    public PostgreSqlAuditLog(PostgreSqlSecretStore store, string schemaName)
    {
        _store = store;
        _table = PostgreSqlSchema.Quote(schemaName) + ".audit_events";
        _lockKey = "RootCx.Vault.Audit:" + schemaName;
    }

    public async ValueTask WriteAsync(SecretAuditEvent auditEvent, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(auditEvent);
        await _store.RunAsync(
            async connection =>
            {
                await using DbTransaction transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
                await connection.ExecuteAsync(new CommandDefinition("SELECT pg_advisory_xact_lock(hashtextextended(@Key, 0));", new { Key = _lockKey }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
                SqlAuditHead? head = await connection.QuerySingleOrDefaultAsync<SqlAuditHead>(new CommandDefinition(
                    $"SELECT seq AS Seq, hash AS Hash FROM {_table} ORDER BY seq DESC LIMIT 1;", transaction: transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
                SecretAuditRecord record = SecretAuditChain.Append((head?.Seq ?? 0) + 1, auditEvent, head?.Hash ?? SecretAuditChain.Genesis);
                await connection.ExecuteAsync(new CommandDefinition(
                    $"""
                    INSERT INTO {_table} (seq, time, actor, action, namespace, name, version, key_id, outcome, prev_hash, hash)
                    VALUES (@Seq, @Time, @Actor, @Action, @Namespace, @Name, @Version, @KeyId, @Outcome, @PrevHash, @Hash);
                    """,
                    SqlAuditRow.From(record),
                    transaction,
                    cancellationToken: cancellationToken)).ConfigureAwait(false);
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                return true;
            },
            cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<IReadOnlyList<SecretAuditRecord>> ReadAsync(SecretAuditQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var parameters = new
        {
            After = query.AfterSequence,
            Namespace = query.Scope?.Namespace,
            query.Name,
            From = query.From?.ToUniversalTime(),
            Until = query.Until?.ToUniversalTime(),
            Limit = Math.Clamp(query.Limit, 1, SecretAuditQuery.MaxLimit),
        };

        // Names match ignoring case the way the secrets table keys them: upper() under the "C" collation.
        IEnumerable<SqlAuditRow> rows = await _store.RunAsync(
            connection => connection.QueryAsync<SqlAuditRow>(new CommandDefinition(
                $"""
                SELECT {Columns} FROM {_table}
                WHERE seq > @After
                  AND (@Namespace::text IS NULL OR namespace = @Namespace)
                  AND (@Name::text IS NULL OR upper(name COLLATE "C") = upper(@Name::text COLLATE "C"))
                  AND (@From::timestamptz IS NULL OR time >= @From)
                  AND (@Until::timestamptz IS NULL OR time < @Until)
                ORDER BY seq LIMIT @Limit;
                """,
                parameters,
                cancellationToken: cancellationToken)),
            cancellationToken).ConfigureAwait(false);

        // A row that no longer names a known action or scope is not an event to show; VerifyAsync reports it.
        return [.. rows.Select(r => r.ToRecord()).OfType<SecretAuditRecord>()];
    }

    public ValueTask<SecretAuditVerification> VerifyAsync(CancellationToken cancellationToken = default) =>
        SqlAuditRow.VerifyAsync(after => _store.RunAsync(
            connection => connection.QueryAsync<SqlAuditRow>(new CommandDefinition(
                    $"SELECT {Columns} FROM {_table} WHERE seq > @After ORDER BY seq LIMIT {SqlAuditRow.VerifyPageSize};",
                    new { After = after },
                    cancellationToken: cancellationToken)),
            cancellationToken).AsTask());

    public override string ToString() => $"PostgreSqlAuditLog({_store})";
}
