using RootCx.Vault.Audit;

namespace RootCx.Vault.Sql;

/// <summary>
/// A row of a SQL store's audit table, as Dapper reads and writes it, and the verification both SQL stores run over
/// such rows a page at a time. Time is written as a UTC <see cref="DateTimeOffset"/>, which both drivers take, and read
/// as whatever the driver gives (Npgsql a UTC <see cref="DateTime"/>, SqlClient a <see cref="DateTimeOffset"/>).
/// </summary>
internal sealed class SqlAuditRow
{
    /// <summary>How many rows verification reads at a time.</summary>
    public const int VerifyPageSize = 1000;

    public long Seq { get; set; }

    public object Time { get; set; } = DateTimeOffset.MinValue;

    public string Actor { get; set; } = string.Empty;

    public string Action { get; set; } = string.Empty;

    public string Namespace { get; set; } = string.Empty;

    public string? Name { get; set; }

    public long? Version { get; set; }

    public long? KeyId { get; set; }

    public string Outcome { get; set; } = string.Empty;

    public byte[] PrevHash { get; set; } = [];

    public byte[] Hash { get; set; } = [];

    public static SqlAuditRow From(SecretAuditRecord record)
    {
        SecretAuditEvent e = record.Event;
        return new SqlAuditRow
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

    /// <summary>Walks the table in pages of <see cref="VerifyPageSize"/> after a sequence number, to the first break.</summary>
    public static async ValueTask<SecretAuditVerification> VerifyAsync(Func<long, Task<IEnumerable<SqlAuditRow>>> readPageAfter)
    {
        var walk = new SecretAuditChainWalk();
        long after = 0;
        while (true)
        {
            SqlAuditRow[] page = [.. await readPageAfter(after).ConfigureAwait(false)];
            foreach (SqlAuditRow row in page)
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

    /// <summary>The event the row holds, or <see langword="null"/> when it no longer names a known action, outcome or scope.</summary>
    public SecretAuditRecord? ToRecord()
    {
        if (!Enum.TryParse(Action, out SecretAuditAction action) || !Enum.TryParse(Outcome, out SecretAuditOutcome outcome)
            || (Namespace != SecretScope.PlatformNamespace && !SecretScope.IsValidAppId(Namespace)) || KeyId is < 0 or > uint.MaxValue
            || Instant(Time) is not { } time)
        {
            return null;
        }

        var auditEvent = new SecretAuditEvent(
            time, Actor, action, SecretScope.FromNamespace(Namespace), Name, Version, KeyId is { } keyId ? new MasterKeyId((uint)keyId) : null, outcome);
        return new SecretAuditRecord(Seq, auditEvent, PrevHash, Hash);
    }

    private static DateTimeOffset? Instant(object value) => value switch
    {
        DateTimeOffset instant => instant.ToUniversalTime(),
        DateTime utc => new DateTimeOffset(DateTime.SpecifyKind(utc, DateTimeKind.Utc)),
        _ => null,
    };
}

/// <summary>The last row of an audit table: where the next append continues the chain.</summary>
internal sealed class SqlAuditHead
{
    public long Seq { get; set; }

    public byte[] Hash { get; set; } = [];
}
