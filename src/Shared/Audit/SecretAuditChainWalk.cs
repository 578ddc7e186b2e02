namespace RootCx.Vault.Audit;

/// <summary>
/// Checks a chain one record at a time, in stored order, and remembers the first break: a number out of sequence (a
/// removed event, reported at the first missing number), a wrong link or a wrong hash (an edited event, reported at
/// its own number), or a record that cannot be read at all (<see cref="Unreadable"/>).
/// </summary>
internal sealed class SecretAuditChainWalk
{
    private long _count;
    private long _head;
    private byte[] _headHash = SecretAuditChain.Genesis;
    private long? _broken;

    public bool IsBroken => _broken is not null;

    /// <summary>Takes the next record; returns <see langword="false"/> once the chain is broken (stop walking).</summary>
    public bool Accept(SecretAuditRecord record)
    {
        if (_broken is not null)
        {
            return false;
        }

        _count++;
        long expected = _head + 1;
        bool intact = record.Sequence == expected
            && record.PreviousHash.Span.SequenceEqual(_headHash)
            && record.Hash.Span.SequenceEqual(SecretAuditChain.Hash(record.Sequence, record.Event, _headHash));
        if (!intact)
        {
            _broken = expected;
            return false;
        }

        _head = record.Sequence;
        _headHash = record.Hash.ToArray();
        return true;
    }

    /// <summary>The next record exists but does not parse: the chain breaks at the number it should have had.</summary>
    public void Unreadable()
    {
        _count++;
        _broken ??= _head + 1;
    }

    public SecretAuditVerification Result() => new(_count, _head, _headHash, _broken);
}
