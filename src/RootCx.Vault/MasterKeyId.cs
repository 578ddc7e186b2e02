using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;

namespace RootCx.Vault;

/// <summary>
/// The public identifier of a master key: the first four bytes, big-endian, of
/// HMAC-SHA256(key, "RootCx.Vault/key-id/v1"). It names a key in envelopes, logs and errors without revealing it.
/// </summary>
public readonly struct MasterKeyId : IEquatable<MasterKeyId>
{
    private static ReadOnlySpan<byte> DerivationLabel => "RootCx.Vault/key-id/v1"u8;

    /// <summary>Wraps an identifier, for example one a store read back.</summary>
    /// <param name="value">The identifier as a number.</param>
    public MasterKeyId(uint value) => Value = value;

    /// <summary>Gets the identifier as a number.</summary>
    public uint Value { get; }

    /// <summary>Compares two identifiers.</summary>
    /// <param name="left">One identifier.</param>
    /// <param name="right">The other.</param>
    /// <returns><see langword="true"/> when they name the same key.</returns>
    public static bool operator ==(MasterKeyId left, MasterKeyId right) => left.Equals(right);

    /// <summary>Compares two identifiers.</summary>
    /// <param name="left">One identifier.</param>
    /// <param name="right">The other.</param>
    /// <returns><see langword="true"/> when they name different keys.</returns>
    public static bool operator !=(MasterKeyId left, MasterKeyId right) => !left.Equals(right);

    /// <inheritdoc />
    public bool Equals(MasterKeyId other) => Value == other.Value;

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is MasterKeyId other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => (int)Value;

    /// <summary>Returns the identifier as eight lowercase hexadecimal digits.</summary>
    /// <returns>For example <c>0a1b2c3d</c>.</returns>
    public override string ToString() => Value.ToString("x8", CultureInfo.InvariantCulture);

    /// <summary>Derives the identifier of a 32-byte master key.</summary>
    internal static MasterKeyId Derive(ReadOnlySpan<byte> key)
    {
        Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(key, DerivationLabel, mac);
        return new MasterKeyId(BinaryPrimitives.ReadUInt32BigEndian(mac));
    }
}
