namespace RootCx.Vault.Cryptography;

/// <summary>
/// The keys the vault holds: one active key seals; every key, active or previous, may open. The ring owns the keys it
/// is given and disposes them, also when it refuses to form.
/// </summary>
internal sealed class MasterKeyRing : IDisposable
{
    private readonly MasterKey[] _keys;

    public MasterKeyRing(MasterKey active, IEnumerable<MasterKey>? previous = null)
    {
        List<MasterKey> keys = [active];
        try
        {
            // One at a time, so keys read before a lazy sequence throws are held, and disposed below.
            foreach (MasterKey key in previous ?? [])
            {
                keys.Add(key);
            }

            KeyIds = keys.Select(k => k.Id).ToHashSet();
            if (KeyIds.Count != keys.Count)
            {
                throw new MasterKeyException("The master key ring holds the same key twice.");
            }
        }
        catch
        {
            // Nobody else will dispose them: the caller handed them over, and no ring is returned.
            foreach (MasterKey key in keys)
            {
                key.Dispose();
            }

            throw;
        }

        Active = active;
        _keys = [.. keys];
    }

    public MasterKey Active { get; }

    public IReadOnlySet<MasterKeyId> KeyIds { get; }

    public MasterKey? Find(MasterKeyId id)
    {
        // A ring holds one to a handful of keys: a scan beats a dictionary.
        foreach (MasterKey key in _keys)
        {
            if (key.Id == id)
            {
                return key;
            }
        }

        return null;
    }

    public void Dispose()
    {
        foreach (MasterKey key in _keys)
        {
            key.Dispose();
        }
    }

    public override string ToString() => $"MasterKeyRing(active {Active.Id}, {_keys.Length} keys)";
}
