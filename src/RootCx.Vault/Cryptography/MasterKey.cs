using System.Security.Cryptography;

namespace RootCx.Vault.Cryptography;

/// <summary>
/// One 32-byte AES-256 master key. The bytes live in a pinned array (so the GC never leaves copies behind) that is
/// zeroed on dispose; each thread gets its own <see cref="AesGcm"/> because an instance must not be shared.
/// </summary>
internal sealed class MasterKey : IDisposable
{
    public const int SizeInBytes = 32;
    public const int HexLength = SizeInBytes * 2;

    private static readonly System.Buffers.SearchValues<char> HexDigits =
        System.Buffers.SearchValues.Create("0123456789abcdefABCDEF");

    private readonly byte[] _key = GC.AllocateArray<byte>(SizeInBytes, pinned: true);
    private readonly ThreadLocal<AesGcm> _aes;

    private MasterKey(ReadOnlySpan<byte> key)
    {
        key.CopyTo(_key);
        Id = MasterKeyId.Derive(_key);
        _aes = new ThreadLocal<AesGcm>(() => new AesGcm(_key, SecretEnvelope.TagSize), trackAllValues: true);
    }

    public MasterKeyId Id { get; }

    /// <summary>Gets this thread's cipher for the key.</summary>
    public AesGcm Aes => _aes.Value!;

    public static MasterKey FromBytes(ReadOnlySpan<byte> key) =>
        key.Length == SizeInBytes
            ? new MasterKey(key)
            : throw new MasterKeyException($"A master key must be exactly {SizeInBytes} bytes.");

    public static MasterKey Generate()
    {
        Span<byte> key = stackalloc byte[SizeInBytes];
        try
        {
            RandomNumberGenerator.Fill(key);
            return new MasterKey(key);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }

    /// <summary>Parses 64 hexadecimal characters, ignoring surrounding white space.</summary>
    /// <param name="hex">The hexadecimal text.</param>
    /// <param name="source">Where the text came from, for the error message (never the text itself).</param>
    /// <returns>The key.</returns>
    /// <exception cref="MasterKeyException">The text is not 64 hexadecimal characters.</exception>
    public static MasterKey FromHex(ReadOnlySpan<char> hex, string source)
    {
        hex = hex.Trim();
        Span<byte> key = stackalloc byte[SizeInBytes];
        try
        {
            if (hex.Length != HexLength
                || Convert.FromHexString(hex, key, out _, out int written) != System.Buffers.OperationStatus.Done
                || written != SizeInBytes)
            {
                throw new MasterKeyException(
                    $"The master key from {source} must be exactly {HexLength} hexadecimal characters (32 bytes).");
            }

            return new MasterKey(key);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }

    /// <summary>Returns whether <paramref name="hex"/> is 64 hexadecimal characters, ignoring surrounding white space.</summary>
    public static bool IsWellFormedHex(ReadOnlySpan<char> hex)
    {
        hex = hex.Trim();
        return hex.Length == HexLength && !hex.ContainsAnyExcept(HexDigits);
    }

    /// <summary>Writes the key as lowercase hexadecimal into <paramref name="destination"/> (for the key file only).</summary>
    public void WriteHex(Span<char> destination) =>
        Convert.TryToHexStringLower(_key, destination, out _);

    public void Dispose()
    {
        foreach (AesGcm aes in _aes.Values)
        {
            aes.Dispose();
        }

        _aes.Dispose();
        CryptographicOperations.ZeroMemory(_key);
    }

    public override string ToString() => $"MasterKey({Id})";
}
