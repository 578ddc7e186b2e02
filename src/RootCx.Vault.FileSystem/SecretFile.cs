using System.Buffers.Binary;
using System.Text;
using RootCx.Vault.Storage;

namespace RootCx.Vault.FileSystem;

/// <summary>
/// The content of one <c>.secret</c> file (docs/FORMAT.md), little-endian. Layout 2, written:
/// <c>{ "RCXS" || layout (1) || version (8) || createdAt ticks (8) || updatedAt ticks (8) || key id (4) || len(name) (1) ||
/// name || len(envelope) (4) || envelope || checksum (8) }</c>, where the checksum is the first 8 bytes of SHA-256 of all
/// that precedes it, so truncation and garbage are told apart from a valid file. Layout 1, still read, has no key id.
/// </summary>
internal static class SecretFile
{
    public const byte Layout1 = 1;
    public const byte Layout2 = 2;
    private const int ChecksumSize = FileChecksum.Size;
    private const int KeyIdSize = 4;
    private const int Layout1FixedSize = 4 + 1 + 8 + 8 + 8 + 1 + 4 + ChecksumSize;
    private const int Layout2FixedSize = Layout1FixedSize + KeyIdSize;

    private static ReadOnlySpan<byte> Magic => "RCXS"u8;

    public static byte[] Encode(StoredSecret secret)
    {
        string name = secret.Name.Value;
        ReadOnlySpan<byte> envelope = secret.Envelope.Span;
        byte[] content = new byte[Layout2FixedSize + name.Length + envelope.Length];
        var writer = new SpanWriter(content);
        writer.Write(Magic);
        writer.Write(Layout2);
        writer.WriteInt64(secret.Version);
        writer.WriteInt64(secret.CreatedAt.UtcTicks);
        writer.WriteInt64(secret.UpdatedAt.UtcTicks);
        writer.WriteUInt32(secret.KeyId.Value);
        writer.Write((byte)name.Length);
        writer.Advance(Encoding.ASCII.GetBytes(name, writer.Remaining));
        writer.WriteInt32(envelope.Length);
        writer.Write(envelope);
        FileChecksum.Write(content.AsSpan(0, writer.Position), writer.Remaining);
        return content;
    }

    /// <exception cref="SecretStoreException">The file is damaged; the message names the file, never its content.</exception>
    public static StoredSecret Decode(SecretScope scope, ReadOnlySpan<byte> content, string path)
    {
        try
        {
            byte layout = content.Length > 4 ? content[4] : (byte)0;
            int fixedSize = layout == Layout1 ? Layout1FixedSize : Layout2FixedSize;
            if (content.Length < fixedSize || !content.StartsWith(Magic) || layout is not (Layout1 or Layout2))
            {
                throw Damaged(path, "it is not a layout 1 or 2 secret file");
            }

            if (!FileChecksum.IsValid(content))
            {
                throw Damaged(path, "its checksum does not match (truncated or overwritten)");
            }

            var reader = new SpanReader(content[5..^ChecksumSize]);
            long version = reader.ReadInt64();
            var createdAt = new DateTimeOffset(reader.ReadInt64(), TimeSpan.Zero);
            var updatedAt = new DateTimeOffset(reader.ReadInt64(), TimeSpan.Zero);
            uint? keyId = layout == Layout2 ? reader.ReadUInt32() : null;
            SecretName name = SecretName.Parse(Encoding.ASCII.GetString(reader.Read(reader.ReadByte())));
            byte[] envelope = reader.Read(reader.ReadInt32()).ToArray();
            if (!reader.IsAtEnd)
            {
                throw Damaged(path, "it has trailing bytes");
            }

            return new StoredSecret(scope, name, envelope, new MasterKeyId(keyId ?? ReadLayout1KeyIdFromEnvelopeHeader(envelope)), createdAt, updatedAt, version);
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
        new($"The secret file '{path}' is damaged: {reason}. Restore it from a backup or delete the secret and set it again.");

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
