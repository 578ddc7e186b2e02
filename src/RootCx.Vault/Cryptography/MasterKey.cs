using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace RootCx.Vault.Cryptography;

/// <summary>
/// One 32-byte AES-256 master key and its AES-256-GCM cipher. The bytes live in a pinned array (so the GC never leaves
/// copies behind) that is zeroed on dispose.
/// </summary>
/// <remarks>
/// Every seal and open goes through the platform's vetted <see cref="AesGcm"/>. An instance must not be used by two
/// threads at once, so each operation rents one from a pool. A pool rather than one per thread: thread-pool threads
/// come and go, and each would leave its instance (with a copy of the key in native memory) behind until the key is
/// disposed; the pool holds at most as many as ran at once.
/// </remarks>
internal sealed class MasterKey : IDisposable
{
    public const int SizeInBytes = 32;
    public const int HexLength = SizeInBytes * 2;

    private static readonly System.Buffers.SearchValues<char> HexDigits =
        System.Buffers.SearchValues.Create("0123456789abcdefABCDEF");

    private readonly byte[] _key = GC.AllocateArray<byte>(SizeInBytes, pinned: true);
    private readonly ConcurrentBag<AesGcm> _ciphers = [];

    // One cipher kept aside, taken and given back with one interlocked exchange each: the uncontended path skips the
    // bag, whose per-thread bookkeeping costs more than the cipher's set-up saves at 32 bytes.
    private AesGcm? _spare;
    private readonly Lock _gate = new();
    private volatile bool _disposed;

    private MasterKey(ReadOnlySpan<byte> key)
    {
        key.CopyTo(_key);
        Id = MasterKeyId.Derive(_key);
    }

    public MasterKeyId Id { get; }

    public static MasterKey FromBytes(ReadOnlySpan<byte> key) =>
        key.Length == SizeInBytes
            ? new MasterKey(key)
            : throw new MasterKeyException($"A master key must be exactly {SizeInBytes} bytes.");

    /// <summary>Gets how many ciphers the pool holds now: at most as many as operations ran at once.</summary>
    internal int PooledCiphers => _ciphers.Count + (Volatile.Read(ref _spare) is null ? 0 : 1);

    /// <summary>AES-256-GCM encryption with a 12-byte nonce and a 16-byte tag.</summary>
    public void Encrypt(ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> plaintext, Span<byte> ciphertext, Span<byte> tag, ReadOnlySpan<byte> associatedData)
    {
        AesGcm aes = Rent();
        try
        {
            aes.Encrypt(nonce, plaintext, ciphertext, tag, associatedData);
        }
        finally
        {
            Return(aes);
        }
    }

    /// <summary>AES-256-GCM decryption; returns <see langword="false"/> when the message fails authentication.</summary>
    public bool TryDecrypt(ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> ciphertext, ReadOnlySpan<byte> tag, Span<byte> plaintext, ReadOnlySpan<byte> associatedData)
    {
        AesGcm aes = Rent();
        try
        {
            aes.Decrypt(nonce, ciphertext, tag, plaintext, associatedData);
            return true;
        }
        catch (AuthenticationTagMismatchException)
        {
            return false;
        }
        finally
        {
            Return(aes);
        }
    }

    /// <summary>
    /// A new cipher is made under the lock <see cref="Dispose"/> takes, so none is made once the bytes are being zeroed.
    /// </summary>
    private AesGcm Rent()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (Interlocked.Exchange(ref _spare, null) is { } spare)
        {
            return spare;
        }

        if (_ciphers.TryTake(out AesGcm? pooled))
        {
            return pooled;
        }

        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return new AesGcm(_key, SecretEnvelope.TagSize);
        }
    }

    // One returned while Dispose drains the pool is released here: either this check or Dispose's drain sees it.
    private void Return(AesGcm aes)
    {
        if (Interlocked.CompareExchange(ref _spare, aes, null) is not null)
        {
            _ciphers.Add(aes);
        }

        if (_disposed)
        {
            DrainPool();
        }
    }

    private void DrainPool()
    {
        Interlocked.Exchange(ref _spare, null)?.Dispose();
        while (_ciphers.TryTake(out AesGcm? aes))
        {
            aes.Dispose();
        }
    }

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

    /// <summary>Releases every thread's cipher and zeroes the key bytes; later calls do nothing.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            DrainPool();
            CryptographicOperations.ZeroMemory(_key);
        }
    }

    public override string ToString() => $"MasterKey({Id})";
}
