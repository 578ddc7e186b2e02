namespace RootCx.Vault;

/// <summary>Which audit events to read, one page at a time (keyset paging on the sequence number).</summary>
public sealed class SecretAuditQuery
{
    /// <summary>The largest page a log returns.</summary>
    public const int MaxLimit = 1000;

    /// <summary>Gets the scope to keep, or <see langword="null"/> for all.</summary>
    public SecretScope? Scope { get; init; }

    /// <summary>Gets the secret name to keep (ignoring case), or <see langword="null"/> for all.</summary>
    public string? Name { get; init; }

    /// <summary>Gets the earliest time to keep (inclusive), or <see langword="null"/>.</summary>
    public DateTimeOffset? From { get; init; }

    /// <summary>Gets the latest time to keep (exclusive), or <see langword="null"/>.</summary>
    public DateTimeOffset? Until { get; init; }

    /// <summary>Gets the sequence number the page starts after: 0 for the first page, then the last one read.</summary>
    public long AfterSequence { get; init; }

    /// <summary>Gets the page size, 1 to <see cref="MaxLimit"/>.</summary>
    /// <value>The default value is 100.</value>
    public int Limit { get; init; } = 100;

    /// <summary>Returns whether <paramref name="auditEvent"/> passes the filters (the page aside).</summary>
    /// <param name="auditEvent">The event.</param>
    /// <returns><see langword="true"/> when it is kept.</returns>
    public bool Matches(SecretAuditEvent auditEvent)
    {
        ArgumentNullException.ThrowIfNull(auditEvent);
        return (Scope is null || Scope.Equals(auditEvent.Scope))
            && (Name is null || string.Equals(Name, auditEvent.Name, StringComparison.OrdinalIgnoreCase))
            && (From is null || auditEvent.Timestamp >= From)
            && (Until is null || auditEvent.Timestamp < Until);
    }
}
