using System.Security.Cryptography;

namespace RootCx.Vault.Cryptography;

/// <summary>
/// One 32-byte AES-256 master key and its AES-256-GCM cipher. The bytes live in a pinned array (so the GC never leaves
/// copies behind) that is zeroed on dispose.
/// </summary>
/// <remarks>
/// Messages up to <see cref="IntrinsicMaxLength"/> bytes (nearly every vault value) go through <see cref="IntrinsicAesGcm"/>
/// where the CPU has AES-NI and PCLMULQDQ: OpenSSL's set-up per call costs more than the cipher at those sizes.
/// Longer messages, other CPUs, and hosts that set the <see cref="OpenSslOnlySwitch"/> AppContext switch (for example
/// to use only a FIPS-validated module) use <see cref="AesGcm"/>, one instance per thread because an instance must
/// not be shared. Both compute the same AES-256-GCM, so either opens what the other sealed.
/// </remarks>
internal sealed class MasterKey : IDisposable
{
    public const int SizeInBytes = 32;
    public const int HexLength = SizeInBytes * 2;

    private static readonly System.Buffers.SearchValues<char> HexDigits =
        System.Buffers.SearchValues.Create("0123456789abcdefABCDEF");

    /// <summary>The AppContext switch that, when set to true, keeps every message on OpenSSL's <see cref="AesGcm"/>.</summary>
    public const string OpenSslOnlySwitch = "RootCx.Vault.Cryptography.UseOpenSslAesGcmOnly";

    /// <summary>
    /// Above this many bytes OpenSSL's stitched AES-GCM catches up with the in-process cipher (measured: 0.78–0.92×
    /// its time at 4 KiB, about level at 8 KiB, 1.2× at 16 KiB; benchmarks/README.md).
    /// </summary>
    public const int IntrinsicMaxLength = 4096;


    private readonly byte[] _key = GC.AllocateArray<byte>(SizeInBytes, pinned: true);
    private readonly IntrinsicAesGcm? _intrinsic;
    private readonly ThreadLocal<AesGcm> _openSsl;

    private MasterKey(ReadOnlySpan<byte> key, bool useIntrinsics)
    {
        key.CopyTo(_key);
        Id = MasterKeyId.Derive(_key);
        _intrinsic = useIntrinsics ? new IntrinsicAesGcm(_key) : null;
        _openSsl = new ThreadLocal<AesGcm>(() => new AesGcm(_key, SecretEnvelope.TagSize), trackAllValues: true);
    }

    public MasterKeyId Id { get; }

    /// <summary>Gets whether small messages go through <see cref="IntrinsicAesGcm"/>.</summary>
    internal bool UsesIntrinsics => _intrinsic is not null;

    public static MasterKey FromBytes(ReadOnlySpan<byte> key) => FromBytes(key, UseIntrinsicsByDefault());

    /// <summary>Creates a key whose cipher is chosen by the caller: for tests and benchmarks of both paths.</summary>
    internal static MasterKey FromBytes(ReadOnlySpan<byte> key, bool useIntrinsics) =>
        key.Length == SizeInBytes
            ? new MasterKey(key, useIntrinsics)
            : throw new MasterKeyException($"A master key must be exactly {SizeInBytes} bytes.");

    /// <summary>Read per key rather than once, so a test can set the switch; keys are made a handful of times per process.</summary>
    private static bool UseIntrinsicsByDefault() =>
        IntrinsicAesGcm.IsSupported && !(AppContext.TryGetSwitch(OpenSslOnlySwitch, out bool openSslOnly) && openSslOnly);

    /// <summary>AES-256-GCM encryption with a 12-byte nonce and a 16-byte tag.</summary>
    public void Encrypt(ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> plaintext, Span<byte> ciphertext, Span<byte> tag, ReadOnlySpan<byte> associatedData)
    {
        if (_intrinsic is not null && plaintext.Length <= IntrinsicMaxLength)
        {
            _intrinsic.Encrypt(nonce, plaintext, ciphertext, tag, associatedData);
        }
        else
        {
            _openSsl.Value!.Encrypt(nonce, plaintext, ciphertext, tag, associatedData);
        }
    }

    /// <summary>AES-256-GCM decryption; returns <see langword="false"/> when the message fails authentication.</summary>
    public bool TryDecrypt(ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> ciphertext, ReadOnlySpan<byte> tag, Span<byte> plaintext, ReadOnlySpan<byte> associatedData)
    {
        if (_intrinsic is not null && ciphertext.Length <= IntrinsicMaxLength)
        {
            return _intrinsic.TryDecrypt(nonce, ciphertext, tag, plaintext, associatedData);
        }

        try
        {
            _openSsl.Value!.Decrypt(nonce, ciphertext, tag, plaintext, associatedData);
            return true;
        }
        catch (AuthenticationTagMismatchException)
        {
            return false;
        }
    }

    public static MasterKey Generate()
    {
        Span<byte> key = stackalloc byte[SizeInBytes];
        try
        {
            RandomNumberGenerator.Fill(key);
            return new MasterKey(key, UseIntrinsicsByDefault());
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

            return new MasterKey(key, UseIntrinsicsByDefault());
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
        foreach (AesGcm aes in _openSsl.Values)
        {
            aes.Dispose();
        }

        _openSsl.Dispose();
        _intrinsic?.Dispose();
        CryptographicOperations.ZeroMemory(_key);
    }

    public override string ToString() => $"MasterKey({Id})";
}
