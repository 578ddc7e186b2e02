using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;

namespace RootCx.Vault.Cryptography;

/// <summary>
/// Seals and opens secret envelopes (docs/FORMAT.md is the normative description).
/// Layout, version 1: <c>{ version (1) || keyId (4, big-endian) || nonce (12) || ciphertext (n) || tag (16) }</c>.
/// Associated data: <c>{ version || keyId || len(namespace) (1) || namespace || len(name) (1) || NAME }</c>, ASCII,
/// which binds an envelope to its scope and name: copied anywhere else, it fails to open. The name is bound in upper
/// case because names are unique ignoring case: the identity is bound, not the spelling.
/// </summary>
internal static class SecretEnvelope
{
    public const byte Version1 = 1;
    public const int VersionSize = 1;
    public const int KeyIdSize = 4;
    public const int NonceSize = 12;
    public const int TagSize = 16;
    public const int HeaderSize = VersionSize + KeyIdSize + NonceSize;
    public const int Overhead = HeaderSize + TagSize;

    private const int KeyIdOffset = VersionSize;
    private const int NonceOffset = VersionSize + KeyIdSize;

    // version + keyId + two length bytes + the longest namespace and name.
    private const int MaxAssociatedDataSize = VersionSize + KeyIdSize + 2 + SecretScope.MaxAppIdLength + SecretName.MaxLength;

    public static byte[] Seal(MasterKey key, SecretScope scope, SecretName name, ReadOnlySpan<byte> plaintext)
    {
        byte[] envelope = GC.AllocateUninitializedArray<byte>(Overhead + plaintext.Length);
        Seal(key, scope, name, plaintext, envelope);
        return envelope;
    }

    /// <summary>Seals into <paramref name="envelope"/>, which must be exactly <see cref="Overhead"/> bytes longer than the plaintext.</summary>
    [SkipLocalsInit] // the associated-data buffer is written before it is read; zeroing it is measurable at 32 bytes
    public static void Seal(MasterKey key, SecretScope scope, SecretName name, ReadOnlySpan<byte> plaintext, Span<byte> envelope)
    {
        ArgumentOutOfRangeException.ThrowIfNotEqual(envelope.Length, Overhead + plaintext.Length, nameof(envelope));
        envelope[0] = Version1;
        BinaryPrimitives.WriteUInt32BigEndian(envelope.Slice(KeyIdOffset, KeyIdSize), key.Id.Value);
        Span<byte> nonce = envelope.Slice(NonceOffset, NonceSize);

        // Drawn now, never ahead: a restored or cloned VM snapshot would replay a buffered batch under the same key,
        // and a GCM nonce used twice under one key exposes its authentication key.
        RandomNumberGenerator.Fill(nonce);

        Span<byte> associatedData = stackalloc byte[MaxAssociatedDataSize];
        associatedData = WriteAssociatedData(associatedData, envelope, scope, name);
        key.Encrypt(
            nonce,
            plaintext,
            envelope.Slice(HeaderSize, plaintext.Length),
            envelope.Slice(HeaderSize + plaintext.Length, TagSize),
            associatedData);
    }

    /// <exception cref="UnknownMasterKeyIdException">The envelope names a key the ring does not hold.</exception>
    /// <exception cref="SecretDecryptionException">The envelope is malformed, altered, moved, or sealed under another key.</exception>
    public static byte[] Open(MasterKeyRing ring, SecretScope scope, SecretName name, ReadOnlySpan<byte> envelope)
    {
        byte[] plaintext = GC.AllocateUninitializedArray<byte>(Math.Max(0, envelope.Length - Overhead));
        Open(ring, scope, name, envelope, plaintext);
        return plaintext;
    }

    /// <summary>Opens into <paramref name="plaintext"/>, which must be exactly <see cref="Overhead"/> bytes shorter than the envelope.</summary>
    /// <exception cref="UnknownMasterKeyIdException">The envelope names a key the ring does not hold.</exception>
    /// <exception cref="SecretDecryptionException">The envelope is malformed, altered, moved, or sealed under another key;
    /// <paramref name="plaintext"/> is cleared.</exception>
    [SkipLocalsInit]
    public static void Open(MasterKeyRing ring, SecretScope scope, SecretName name, ReadOnlySpan<byte> envelope, Span<byte> plaintext)
    {
        if (envelope.Length < Overhead || envelope[0] != Version1)
        {
            throw SecretDecryptionException.Create(
                $"Secret '{name}' in '{scope}' is not a version {Version1} envelope of at least {Overhead} bytes: it is damaged or was written by a newer vault.");
        }

        ArgumentOutOfRangeException.ThrowIfNotEqual(plaintext.Length, envelope.Length - Overhead, nameof(plaintext));
        MasterKeyId keyId = ReadKeyId(envelope);
        MasterKey key = ring.Find(keyId) ?? throw new UnknownMasterKeyIdException(
            $"Secret '{name}' in '{scope}' was sealed under master key {keyId}, which is not configured (configured: {string.Join(", ", ring.KeyIds)}).",
            keyId);

        Span<byte> associatedData = stackalloc byte[MaxAssociatedDataSize];
        associatedData = WriteAssociatedData(associatedData, envelope, scope, name);
        bool authentic;
        try
        {
            authentic = key.TryDecrypt(
                envelope.Slice(NonceOffset, NonceSize),
                envelope.Slice(HeaderSize, plaintext.Length),
                envelope.Slice(HeaderSize + plaintext.Length, TagSize),
                plaintext,
                associatedData);
        }
        catch
        {
            // A key disposed mid-operation can fail after unauthenticated plaintext was written: leave none behind.
            CryptographicOperations.ZeroMemory(plaintext);
            throw;
        }

        if (!authentic)
        {
            CryptographicOperations.ZeroMemory(plaintext);
            throw SecretDecryptionException.Create(
                $"Secret '{name}' in '{scope}' failed authentication under master key {keyId}: the envelope was altered, moved from another secret, or sealed under a different key.");
        }
    }

    /// <summary>Reads the key id from an envelope's header without opening it.</summary>
    public static MasterKeyId ReadKeyId(ReadOnlySpan<byte> envelope) =>
        envelope.Length >= VersionSize + KeyIdSize
            ? new MasterKeyId(BinaryPrimitives.ReadUInt32BigEndian(envelope.Slice(KeyIdOffset, KeyIdSize)))
            : throw SecretDecryptionException.Create("An envelope is too short to hold a key id.");

    private static Span<byte> WriteAssociatedData(Span<byte> destination, ReadOnlySpan<byte> header, SecretScope scope, SecretName name)
    {
        header[..(VersionSize + KeyIdSize)].CopyTo(destination);
        int written = VersionSize + KeyIdSize;
        destination[written++] = (byte)scope.Namespace.Length;
        written += Encoding.ASCII.GetBytes(scope.Namespace, destination[written..]);
        destination[written++] = (byte)name.Value.Length;
        Ascii.ToUpper(name.Value, destination[written..], out int nameLength);
        return destination[..(written + nameLength)];
    }
}
