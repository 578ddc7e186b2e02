namespace RootCx.Vault.Cryptography;

/// <summary>
/// The keys the vault holds: one active key seals; every key, active or previous, may open.
/// </summary>
internal sealed class MasterKeyRing : IDisposable
{
    private readonly MasterKey[] _keys;

    public MasterKeyRing(MasterKey active, IEnumerable<MasterKey>? previous = null)
    {
        Active = active;
        _keys = [active, .. previous ?? []];
        KeyIds = _keys.Select(k => k.Id).ToHashSet();
        if (KeyIds.Count != _keys.Length)
        {
            throw new MasterKeyException("The master key ring holds the same key twice.");
        }
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
