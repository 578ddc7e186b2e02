namespace RootCx.Vault;

/// <summary>An event as a durable log keeps it: numbered and chained to the one before.</summary>
public sealed class SecretAuditRecord
{
    /// <summary>Creates a record.</summary>
    /// <param name="sequence">The event's number: 1 for the first, one more for each next.</param>
    /// <param name="auditEvent">The event.</param>
    /// <param name="previousHash">The hash of the event before (32 zero bytes for the first).</param>
    /// <param name="hash">SHA-256 of <paramref name="previousHash"/> and the event's canonical bytes.</param>
    public SecretAuditRecord(long sequence, SecretAuditEvent auditEvent, ReadOnlyMemory<byte> previousHash, ReadOnlyMemory<byte> hash)
    {
        ArgumentNullException.ThrowIfNull(auditEvent);
        Sequence = sequence;
        Event = auditEvent;
        PreviousHash = previousHash;
        Hash = hash;
    }

    /// <summary>Gets the event's number: 1 for the first, one more for each next.</summary>
    public long Sequence { get; }

    /// <summary>Gets the event.</summary>
    public SecretAuditEvent Event { get; }

    /// <summary>Gets the hash of the event before (32 zero bytes for the first).</summary>
    public ReadOnlyMemory<byte> PreviousHash { get; }

    /// <summary>Gets the SHA-256 of <see cref="PreviousHash"/> and the event's canonical bytes.</summary>
    public ReadOnlyMemory<byte> Hash { get; }
}
