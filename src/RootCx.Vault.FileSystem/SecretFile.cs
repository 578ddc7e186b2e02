using System.Buffers.Binary;
using System.Text;
using RootCx.Vault.Storage;

namespace RootCx.Vault.FileSystem;

/// <summary>
/// The content of one <c>.secret</c> file (docs/FORMAT.md), little-endian. Layout 3, written:
/// <c>{ "RCXS" || layout (1) || version (8) || createdAt ticks (8) || updatedAt ticks (8) || key id (4) || history from (8) ||
/// state (1) || deletedAt ticks (8) || len(name) (1) || name || len(envelope) (4) || envelope || checksum (8) }</c>, where the
/// checksum is the first 8 bytes of SHA-256 of all that precedes it, so truncation and garbage are told apart from a valid
/// file. Layouts 2 (no history from, state or deletion time) and 1 (no key id either), still read, are live records
/// without history.
/// </summary>
internal static class SecretFile
{
    public const byte Layout1 = 1;
    public const byte Layout2 = 2;
    public const byte Layout3 = 3;
    private const byte Live = 0;
    private const byte Deleted = 1;
    private const int ChecksumSize = FileChecksum.Size;
    private const int KeyIdSize = 4;
    private const int Layout1FixedSize = 4 + 1 + 8 + 8 + 8 + 1 + 4 + ChecksumSize;
    private const int Layout2FixedSize = Layout1FixedSize + KeyIdSize;
    private const int Layout3FixedSize = Layout2FixedSize + 8 + 1 + 8;

    private static ReadOnlySpan<byte> Magic => "RCXS"u8;

    /// <summary>Encodes a live secret without history.</summary>
    public static byte[] Encode(StoredSecret secret) => Encode(SecretRecord.WithoutHistory(secret));

    public static byte[] Encode(SecretRecord record)
    {
        StoredSecret secret = record.Secret;
        string name = secret.Name.Value;
        ReadOnlySpan<byte> envelope = secret.Envelope.Span;
        byte[] content = new byte[Layout3FixedSize + name.Length + envelope.Length];
        var writer = new SpanWriter(content);
        writer.Write(Magic);
        writer.Write(Layout3);
        writer.WriteInt64(secret.Version);
        writer.WriteInt64(secret.CreatedAt.UtcTicks);
        writer.WriteInt64(secret.UpdatedAt.UtcTicks);
        writer.WriteUInt32(secret.KeyId.Value);
        writer.WriteInt64(record.HistoryFrom);
        writer.Write(record.DeletedAt is null ? Live : Deleted);
        writer.WriteInt64(record.DeletedAt?.UtcTicks ?? 0);
        writer.Write((byte)name.Length);
        writer.Advance(Encoding.ASCII.GetBytes(name, writer.Remaining));
        writer.WriteInt32(envelope.Length);
        writer.Write(envelope);
        FileChecksum.Write(content.AsSpan(0, writer.Position), writer.Remaining);
        return content;
    }

    /// <exception cref="SecretStoreException">The file is damaged; the message names the file, never its content.</exception>
    public static SecretRecord Decode(SecretScope scope, ReadOnlySpan<byte> content, string path)
    {
        try
        {
            byte layout = content.Length > 4 ? content[4] : (byte)0;
            int fixedSize = layout switch { Layout1 => Layout1FixedSize, Layout2 => Layout2FixedSize, _ => Layout3FixedSize };
            if (content.Length < fixedSize || !content.StartsWith(Magic) || layout is not (Layout1 or Layout2 or Layout3))
            {
                throw Damaged(path, "it is not a layout 1, 2 or 3 secret file");
            }

            if (!FileChecksum.IsValid(content))
            {
                throw Damaged(path, "its checksum does not match (truncated or overwritten)");
            }

            var reader = new SpanReader(content[5..^ChecksumSize]);
            long version = reader.ReadInt64();
            var createdAt = new DateTimeOffset(reader.ReadInt64(), TimeSpan.Zero);
            var updatedAt = new DateTimeOffset(reader.ReadInt64(), TimeSpan.Zero);
            uint? keyId = layout == Layout1 ? null : reader.ReadUInt32();
            long historyFrom = version;
            DateTimeOffset? deletedAt = null;
            if (layout == Layout3)
            {
                historyFrom = reader.ReadInt64();
                byte state = reader.ReadByte();
                long deletedTicks = reader.ReadInt64();
                if (historyFrom > version || state is not (Live or Deleted) || (state == Live && deletedTicks != 0))
                {
                    throw Damaged(path, "its fields are inconsistent");
                }

                deletedAt = state == Deleted ? new DateTimeOffset(deletedTicks, TimeSpan.Zero) : null;
            }

            SecretName name = SecretName.Parse(Encoding.ASCII.GetString(reader.Read(reader.ReadByte())));
            byte[] envelope = reader.Read(reader.ReadInt32()).ToArray();
            if (!reader.IsAtEnd)
            {
                throw Damaged(path, "it has trailing bytes");
            }

            var secret = new StoredSecret(scope, name, envelope, new MasterKeyId(keyId ?? ReadLayout1KeyIdFromEnvelopeHeader(envelope)), createdAt, updatedAt, version);
            return new SecretRecord(secret, historyFrom, deletedAt);
        }
        catch (Exception ex) when (ex is ArgumentOutOfRangeException or SecretValidationException)
        {
            throw Damaged(path, "its fields are inconsistent");
        }
    }

    /// <summary>
    /// A layout 1 record has no key id field, so its key id is the one in its envelope's header (bytes 1 to 4,
    /// big-endian; docs/FORMAT.md). The only place the store reads an envelope; layout 2 records carry the id.
    /// </summary>
    private static uint ReadLayout1KeyIdFromEnvelopeHeader(ReadOnlySpan<byte> envelope) =>
        BinaryPrimitives.ReadUInt32BigEndian(envelope.Slice(1, KeyIdSize));

    public static SecretStoreException Damaged(string path, string reason) =>
        new($"The secret file '{path}' is damaged: {reason}. Restore it from a backup; or, for a live secret, delete it and set it again, and for a deleted secret or an older version, remove the file.");

    private ref struct SpanWriter(Span<byte> buffer)
    {
        private readonly Span<byte> _buffer = buffer;

        public int Position { get; private set; }

        public readonly Span<byte> Remaining => _buffer[Position..];

        public void Advance(int count) => Position += count;

        public void Write(byte value) => _buffer[Position++] = value;

        public void Write(ReadOnlySpan<byte> value)
        {
            value.CopyTo(Remaining);
            Position += value.Length;
        }

        public void WriteInt32(int value)
        {
            BinaryPrimitives.WriteInt32LittleEndian(Remaining, value);
            Position += sizeof(int);
        }

        public void WriteUInt32(uint value)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(Remaining, value);
            Position += sizeof(uint);
        }

        public void WriteInt64(long value)
        {
            BinaryPrimitives.WriteInt64LittleEndian(Remaining, value);
            Position += sizeof(long);
        }
    }

    private ref struct SpanReader(ReadOnlySpan<byte> buffer)
    {
        private ReadOnlySpan<byte> _rest = buffer;

        public readonly bool IsAtEnd => _rest.IsEmpty;

        public byte ReadByte() => Read(1)[0];

        public uint ReadUInt32() => BinaryPrimitives.ReadUInt32LittleEndian(Read(sizeof(uint)));

        public int ReadInt32() => BinaryPrimitives.ReadInt32LittleEndian(Read(sizeof(int)));

        public long ReadInt64() => BinaryPrimitives.ReadInt64LittleEndian(Read(sizeof(long)));

        public ReadOnlySpan<byte> Read(int count)
        {
            ReadOnlySpan<byte> read = _rest[..count];
            _rest = _rest[count..];
            return read;
        }
    }
}
