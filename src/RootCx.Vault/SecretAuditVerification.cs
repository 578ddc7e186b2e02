namespace RootCx.Vault;

/// <summary>
/// What a walk of an audit chain found. A chain proves that no event before its head was edited or removed; it cannot
/// show that events after the head were cut off, so record <see cref="HeadSequence"/> and <see cref="HeadHash"/>
/// somewhere else and compare.
/// </summary>
public sealed class SecretAuditVerification
{
    /// <summary>Creates a result.</summary>
    /// <param name="count">How many events were read.</param>
    /// <param name="headSequence">The last intact event's number (0 when none).</param>
    /// <param name="headHash">The last intact event's hash (32 zero bytes when none).</param>
    /// <param name="firstBrokenSequence">The first event whose number, link or hash is wrong, or <see langword="null"/>.</param>
    public SecretAuditVerification(long count, long headSequence, ReadOnlyMemory<byte> headHash, long? firstBrokenSequence)
    {
        Count = count;
        HeadSequence = headSequence;
        HeadHash = headHash;
        FirstBrokenSequence = firstBrokenSequence;
    }

    /// <summary>Gets how many events were read.</summary>
    public long Count { get; }

    /// <summary>Gets the number of the last event of the intact chain (0 when the log is empty or its first event is broken).</summary>
    public long HeadSequence { get; }

    /// <summary>Gets the hash of the last event of the intact chain (32 zero bytes when none).</summary>
    public ReadOnlyMemory<byte> HeadHash { get; }

    /// <summary>Gets the sequence number where the chain first breaks (an edited event, or a gap where one was removed), or <see langword="null"/>.</summary>
    public long? FirstBrokenSequence { get; }

    /// <summary>Gets whether every event read is intact and in order.</summary>
    public bool IsIntact => FirstBrokenSequence is null;
}
