using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;

namespace RootCx.Vault.Cryptography;

/// <summary>
/// The public identifier of a master key: the first four bytes, big-endian, of
/// HMAC-SHA256(key, "RootCx.Vault/key-id/v1"). It names a key in envelopes, logs and errors without revealing it.
/// </summary>
/// <param name="Value">The identifier as a number.</param>
public readonly record struct MasterKeyId(uint Value)
{
    private static ReadOnlySpan<byte> DerivationLabel => "RootCx.Vault/key-id/v1"u8;

    /// <summary>Derives the identifier of a 32-byte master key.</summary>
    /// <param name="key">The key bytes.</param>
    /// <returns>The key's identifier.</returns>
    internal static MasterKeyId Derive(ReadOnlySpan<byte> key)
    {
        Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(key, DerivationLabel, mac);
        return new MasterKeyId(BinaryPrimitives.ReadUInt32BigEndian(mac));
    }

    /// <summary>Returns the identifier as eight lowercase hexadecimal digits.</summary>
    /// <returns>For example <c>0a1b2c3d</c>.</returns>
    public override string ToString() => Value.ToString("x8", CultureInfo.InvariantCulture);
}
