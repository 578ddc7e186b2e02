using System.Buffers.Binary;
using System.Text;
using System.Text.Unicode;

namespace RootCx.Vault.Cli.Backup;

/// <summary>
/// The plaintext of a backup record, big-endian. A secret: kind <c>0x01</c>, namespace and name (each a length byte
/// and ASCII), created and updated (UTC ticks), version (int64), value (uint32 length and UTF-8). The end marker, the
/// file's last record: kind <c>0x02</c> and the number of secret records (uint64).
/// </summary>
internal static class BackupRecord
{
    public const byte SecretKind = 1;
    public const byte EndKind = 2;
    public const int EndSize = 1 + 8;

    /// <summary>Writes a secret's plaintext; returns how many bytes of <paramref name="destination"/> it took.</summary>
    public static int WriteSecret(Span<byte> destination, SecretScope scope, SecretName name, DateTimeOffset createdAt, DateTimeOffset updatedAt, long version, ReadOnlySpan<byte> value)
    {
        int at = 0;
        destination[at++] = SecretKind;
        at += WriteShortAscii(destination[at..], scope.Namespace);
        at += WriteShortAscii(destination[at..], name.Value);
        BinaryPrimitives.WriteInt64BigEndian(destination[at..], createdAt.UtcTicks);
        BinaryPrimitives.WriteInt64BigEndian(destination[(at + 8)..], updatedAt.UtcTicks);
        BinaryPrimitives.WriteInt64BigEndian(destination[(at + 16)..], version);
        BinaryPrimitives.WriteUInt32BigEndian(destination[(at + 24)..], (uint)value.Length);
        at += 28;
        value.CopyTo(destination[at..]);
        return at + value.Length;
    }

    public static int WriteEnd(Span<byte> destination, ulong secretCount)
    {
        destination[0] = EndKind;
        BinaryPrimitives.WriteUInt64BigEndian(destination[1..], secretCount);
        return EndSize;
    }

    /// <summary>Reads an end marker's count.</summary>
    /// <exception cref="OperatorException">The plaintext is not an end marker.</exception>
    public static ulong ReadEnd(ReadOnlySpan<byte> plaintext, ulong index) =>
        plaintext.Length == EndSize && plaintext[0] == EndKind
            ? BinaryPrimitives.ReadUInt64BigEndian(plaintext[1..])
            : throw Damaged(index, "the last record is not the end marker");

    /// <summary>Reads a secret's plaintext, checking every field as the vault would before a write.</summary>
    /// <param name="plaintext">The opened record.</param>
    /// <param name="index">The record's index, for the message.</param>
    /// <param name="keepValue">Copies the value out when set; the first pass of import only checks.</param>
    /// <exception cref="OperatorException">The record is not a well-formed secret.</exception>
    public static BackupSecret ReadSecret(ReadOnlySpan<byte> plaintext, ulong index, bool keepValue)
    {
        if (plaintext.IsEmpty || plaintext[0] != SecretKind)
        {
            throw Damaged(index, plaintext.Length > 0 && plaintext[0] == EndKind ? "an end marker before the last record" : "an unknown record kind");
        }

        int at = 1;
        string @namespace = ReadShortAscii(plaintext, ref at, index);
        string name = ReadShortAscii(plaintext, ref at, index);
        if (plaintext.Length - at < 28)
        {
            throw Damaged(index, "the record is cut short");
        }

        long created = BinaryPrimitives.ReadInt64BigEndian(plaintext[at..]);
        long updated = BinaryPrimitives.ReadInt64BigEndian(plaintext[(at + 8)..]);
        long version = BinaryPrimitives.ReadInt64BigEndian(plaintext[(at + 16)..]);
        uint length = BinaryPrimitives.ReadUInt32BigEndian(plaintext[(at + 24)..]);
        at += 28;
        if (length != plaintext.Length - at)
        {
            throw Damaged(index, "the value's length does not match the record");
        }

        ReadOnlySpan<byte> value = plaintext[at..];
        if (!SecretScope.IsValidAppId(@namespace) && @namespace != SecretScope.PlatformNamespace)
        {
            throw Damaged(index, "the namespace is not an appId or the platform scope");
        }

        if (!SecretName.IsValid(name) || !IsTicks(created) || !IsTicks(updated) || version < 1)
        {
            throw Damaged(index, "the name, a time or the version is out of range");
        }

        // The vault's own rules (SecretValueRules), checked here so that import finds a bad value before writing anything.
        if (value.IsEmpty || value.Length > ISecretVault.MaxValueUtf8Bytes || !Utf8.IsValid(value) || value.Contains((byte)0))
        {
            throw Damaged(index, "the value is not one the vault accepts (empty, too large, not UTF-8 or holding NUL)");
        }

        return new BackupSecret(
            SecretScope.FromNamespace(@namespace),
            SecretName.Parse(name),
            new DateTimeOffset(created, TimeSpan.Zero),
            new DateTimeOffset(updated, TimeSpan.Zero),
            version,
            keepValue ? PinnedCopy(value) : []);
    }

    public static OperatorException Damaged(ulong index, string what) => new($"The backup is damaged: record {index}: {what}.");

    // Pinned, so the garbage collector leaves no copy behind when it compacts; the secret clears it on dispose.
    private static byte[] PinnedCopy(ReadOnlySpan<byte> value)
    {
        byte[] copy = GC.AllocateUninitializedArray<byte>(value.Length, pinned: true);
        value.CopyTo(copy);
        return copy;
    }

    private static bool IsTicks(long ticks) => ticks >= 0 && ticks <= DateTime.MaxValue.Ticks;

    private static int WriteShortAscii(Span<byte> destination, string text)
    {
        destination[0] = (byte)text.Length;
        return 1 + Encoding.ASCII.GetBytes(text, destination[1..]);
    }

    private static string ReadShortAscii(ReadOnlySpan<byte> plaintext, ref int at, ulong index)
    {
        if (at >= plaintext.Length || plaintext.Length - at - 1 < plaintext[at])
        {
            throw Damaged(index, "the record is cut short");
        }

        ReadOnlySpan<byte> text = plaintext.Slice(at + 1, plaintext[at]);
        at += 1 + text.Length;
        return System.Text.Ascii.IsValid(text) ? Encoding.ASCII.GetString(text) : throw Damaged(index, "a namespace or name is not ASCII");
    }
}
