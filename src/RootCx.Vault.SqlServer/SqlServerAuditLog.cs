using System.Data.Common;
using Dapper;
using RootCx.Vault.Audit;

namespace RootCx.Vault.SqlServer;

/// <summary>
/// The SQL Server store's durable audit log: table <c>[AuditEvents]</c> (schema version 3). An append takes an
/// application lock of its own in a transaction, reads the last row and inserts the next, so writers in every process
/// make one linear chain; the primary key on <c>[Seq]</c> would refuse a fork even without the lock.
/// </summary>
internal sealed class SqlServerAuditLog : ISecretAuditLog
{
    private const int VerifyPageSize = 1000;

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
                Head? head = await connection.QuerySingleOrDefaultAsync<Head>(new CommandDefinition(_sql.LockAndReadHead, new { LockResource = _lockResource }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
                SecretAuditRecord record = SecretAuditChain.Append((head?.Seq ?? 0) + 1, auditEvent, head?.Hash ?? SecretAuditChain.Genesis);
                await connection.ExecuteAsync(new CommandDefinition(_sql.Insert, AuditRow.From(record), transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
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
        IEnumerable<AuditRow> rows = await _store.RunAsync(
            connection => connection.QueryAsync<AuditRow>(new CommandDefinition(_sql.Read, parameters, cancellationToken: cancellationToken)),
            cancellationToken).ConfigureAwait(false);
        return [.. rows.Select(r => r.ToRecord()).OfType<SecretAuditRecord>()];
    }

    public async ValueTask<SecretAuditVerification> VerifyAsync(CancellationToken cancellationToken = default)
    {
        var walk = new SecretAuditChainWalk();
        long after = 0;
        while (true)
        {
            AuditRow[] page = [.. await _store.RunAsync(
                connection => connection.QueryAsync<AuditRow>(new CommandDefinition(_sql.VerifyPage, new { After = after, Limit = VerifyPageSize }, cancellationToken: cancellationToken)),
                cancellationToken).ConfigureAwait(false)];
            foreach (AuditRow row in page)
            {
                if (row.ToRecord() is not { } record)
                {
                    walk.Unreadable();
                    return walk.Result();
                }

                if (!walk.Accept(record))
                {
                    return walk.Result();
                }
            }

            if (page.Length < VerifyPageSize)
            {
                return walk.Result();
            }

            after = page[^1].Seq;
        }
    }

    public override string ToString() => $"SqlServerAuditLog({_store})";

    private sealed class Head
    {
        public long Seq { get; set; }

        public byte[] Hash { get; set; } = [];
    }

    /// <summary>A row of <c>[AuditEvents]</c>, as Dapper reads and writes it.</summary>
    private sealed class AuditRow
    {
        public long Seq { get; set; }

        public DateTimeOffset Time { get; set; }

        public string Actor { get; set; } = string.Empty;

        public string Action { get; set; } = string.Empty;

        public string Namespace { get; set; } = string.Empty;

        public string? Name { get; set; }

        public long? Version { get; set; }

        public long? KeyId { get; set; }

        public string Outcome { get; set; } = string.Empty;

        public byte[] PrevHash { get; set; } = [];

        public byte[] Hash { get; set; } = [];

        public static AuditRow From(SecretAuditRecord record)
        {
            SecretAuditEvent e = record.Event;
            return new AuditRow
            {
                Seq = record.Sequence,
                Time = e.Timestamp.ToUniversalTime(),
                Actor = e.Actor,
                Action = e.Action.ToString(),
                Namespace = e.Scope.Namespace,
                Name = e.Name,
                Version = e.Version,
                KeyId = e.KeyId?.Value,
                Outcome = e.Outcome.ToString(),
                PrevHash = record.PreviousHash.ToArray(),
                Hash = record.Hash.ToArray(),
            };
        }

        public SecretAuditRecord? ToRecord()
        {
            if (!Enum.TryParse(Action, out SecretAuditAction action) || !Enum.TryParse(Outcome, out SecretAuditOutcome outcome)
                || (Namespace != SecretScope.PlatformNamespace && !SecretScope.IsValidAppId(Namespace)) || KeyId is < 0 or > uint.MaxValue)
            {
                return null;
            }

            var auditEvent = new SecretAuditEvent(
                Time.ToUniversalTime(), Actor, action, SecretScope.FromNamespace(Namespace), Name, Version, KeyId is { } keyId ? new MasterKeyId((uint)keyId) : null, outcome);
            return new SecretAuditRecord(Seq, auditEvent, PrevHash, Hash);
        }
    }
}
