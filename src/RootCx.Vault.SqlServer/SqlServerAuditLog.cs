using System.Data.Common;
using Dapper;
using RootCx.Vault.Audit;
using RootCx.Vault.Sql;

namespace RootCx.Vault.SqlServer;

/// <summary>
/// The SQL Server store's durable audit log: table <c>[AuditEvents]</c> (schema version 3). An append takes an
/// application lock of its own in a transaction, reads the last row and inserts the next, so writers in every process
/// make one linear chain; the primary key on <c>[Seq]</c> would refuse a fork even without the lock.
/// </summary>
internal sealed class SqlServerAuditLog : ISecretAuditLog
{

    private readonly SqlServerSecretStore _store;
    private readonly SqlServerAuditCommands _sql;
    private readonly string _lockResource;

    public SqlServerAuditLog(SqlServerSecretStore store, string schemaName)
    {
        _store = store;
        _sql = new SqlServerAuditCommands(SqlServerSchema.Quote(schemaName));
        _lockResource = "RootCx.Vault.Audit:" + schemaName;
    }

    public async ValueTask WriteAsync(SecretAuditEvent auditEvent, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(auditEvent);
        await _store.RunAsync(
            async connection =>
            {
                await using DbTransaction transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
                SqlAuditHead? head = await connection.QuerySingleOrDefaultAsync<SqlAuditHead>(new CommandDefinition(_sql.LockAndReadHead, new { LockResource = _lockResource }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
                SecretAuditRecord record = SecretAuditChain.Append((head?.Seq ?? 0) + 1, auditEvent, head?.Hash ?? SecretAuditChain.Genesis);
                await connection.ExecuteAsync(new CommandDefinition(_sql.Insert, SqlAuditRow.From(record), transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
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
            query.From,
            query.Until,
            Limit = Math.Clamp(query.Limit, 1, SecretAuditQuery.MaxLimit),
        };
        IEnumerable<SqlAuditRow> rows = await _store.RunAsync(
            connection => connection.QueryAsync<SqlAuditRow>(new CommandDefinition(_sql.Read, parameters, cancellationToken: cancellationToken)),
            cancellationToken).ConfigureAwait(false);
        return [.. rows.Select(r => r.ToRecord()).OfType<SecretAuditRecord>()];
    }

    public ValueTask<SecretAuditVerification> VerifyAsync(CancellationToken cancellationToken = default) =>
        SqlAuditRow.VerifyAsync(after => _store.RunAsync(
            connection => connection.QueryAsync<SqlAuditRow>(new CommandDefinition(_sql.VerifyPage, new { After = after, Limit = SqlAuditRow.VerifyPageSize }, cancellationToken: cancellationToken)),
            cancellationToken).AsTask());

    public override string ToString() => $"SqlServerAuditLog({_store})";
}
