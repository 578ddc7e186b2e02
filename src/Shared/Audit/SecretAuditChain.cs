using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace RootCx.Vault.Audit;

/// <summary>
/// The hash chain every durable audit log keeps (docs/FORMAT.md, "Audit chain"):
/// <c>hash_n = SHA-256(hash_{n-1} || canonical(n))</c>, <c>hash_0</c> 32 zero bytes. Compiled into each store package
/// (src/Shared/Audit), so the chain adds no public surface.
/// </summary>
internal static class SecretAuditChain
{
    public const int HashSize = SHA256.HashSizeInBytes;

    // The first field names the encoding, so a later one can never be mistaken for this one.
    private const string FormatTag = "rootcx.vault.audit/1";

    public static byte[] Genesis => new byte[HashSize];

    /// <summary>Links <paramref name="auditEvent"/> as event <paramref name="sequence"/> after <paramref name="previousHash"/>.</summary>
    /// <summary>
    /// The next record of a chain. Its event's time is cut to whole microseconds first, what every log keeps (SQL
    /// Server would round a finer time, PostgreSQL truncate it), so the stored event is the one hashed, whoever made it.
    /// </summary>
    public static SecretAuditRecord Append(long sequence, SecretAuditEvent auditEvent, ReadOnlyMemory<byte> previousHash)
    {
        DateTimeOffset time = FromUnixMicroseconds(ToUnixMicroseconds(auditEvent.Timestamp));
        SecretAuditEvent stored = time == auditEvent.Timestamp ? auditEvent : new(
            time, auditEvent.Actor, auditEvent.Action, auditEvent.Scope, auditEvent.Name, auditEvent.Version, auditEvent.KeyId, auditEvent.Outcome);
        return new(sequence, stored, previousHash, Hash(sequence, stored, previousHash.Span));
    }

    public static byte[] Hash(long sequence, SecretAuditEvent auditEvent, ReadOnlySpan<byte> previousHash)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(previousHash);
        hash.AppendData(CanonicalBytes(sequence, auditEvent));
        return hash.GetHashAndReset();
    }

    /// <summary>
    /// Fixed field order, integers big-endian, strings as a 4-byte length and UTF-8, optional fields after a presence
    /// byte (0 absent, 1 present). Time is Unix microseconds, what every store keeps.
    /// </summary>
    public static byte[] CanonicalBytes(long sequence, SecretAuditEvent e)
    {
        using var buffer = new MemoryStream();
        WriteString(buffer, FormatTag);
        WriteInt64(buffer, sequence);
        WriteInt64(buffer, ToUnixMicroseconds(e.Timestamp));
        WriteString(buffer, e.Actor);
        WriteString(buffer, e.Action.ToString());
        WriteString(buffer, e.Scope.Namespace);
        buffer.WriteByte(e.Name is null ? (byte)0 : (byte)1);
        if (e.Name is not null)
        {
            WriteString(buffer, e.Name);
        }

        buffer.WriteByte(e.Version is null ? (byte)0 : (byte)1);
        if (e.Version is { } version)
        {
            WriteInt64(buffer, version);
        }

        buffer.WriteByte(e.KeyId is null ? (byte)0 : (byte)1);
        if (e.KeyId is { } keyId)
        {
            Span<byte> id = stackalloc byte[4];
            BinaryPrimitives.WriteUInt32BigEndian(id, keyId.Value);
            buffer.Write(id);
        }

        WriteString(buffer, e.Outcome.ToString());
        return buffer.ToArray();
    }

    public static long ToUnixMicroseconds(DateTimeOffset time) => (time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10;

    public static DateTimeOffset FromUnixMicroseconds(long microseconds) => DateTimeOffset.UnixEpoch.AddTicks(microseconds * 10);

    private static void WriteInt64(Stream buffer, long value)
    {
        Span<byte> bytes = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(bytes, value);
        buffer.Write(bytes);
    }

    private static void WriteString(Stream buffer, string value)
    {
        byte[] utf8 = Encoding.UTF8.GetBytes(value);
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(length, utf8.Length);
        buffer.Write(length);
        buffer.Write(utf8);
    }
}
