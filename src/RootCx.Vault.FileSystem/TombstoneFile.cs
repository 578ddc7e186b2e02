using System.Buffers.Binary;

namespace RootCx.Vault.FileSystem;

/// <summary>
/// What a purged secret leaves behind, the file <c>deleted/&lt;NAME&gt;.purged</c> (docs/FORMAT.md), and what layout 2 left
/// once a secret was deleted, <c>&lt;NAME&gt;.deleted</c>: the last version it had, so that a secret created again under
/// the name continues from it and a compare-and-swap made from an old read fails.
/// Little-endian: <c>{ "RCXD" || layout (1) || version (8) || checksum (8) }</c>.
/// </summary>
internal static class TombstoneFile
{
    private const byte Layout1 = 1;
    private const int Size = 4 + 1 + 8 + FileChecksum.Size;

    private static ReadOnlySpan<byte> Magic => "RCXD"u8;

    public static byte[] Encode(long version)
    {
        byte[] content = new byte[Size];
        Magic.CopyTo(content);
        content[4] = Layout1;
        BinaryPrimitives.WriteInt64LittleEndian(content.AsSpan(5), version);
        FileChecksum.Write(content.AsSpan(0, Size - FileChecksum.Size), content.AsSpan(Size - FileChecksum.Size));
        return content;
    }

    /// <summary>Returns the version recorded, or <see langword="null"/> when the file is damaged.</summary>
    public static long? Decode(ReadOnlySpan<byte> content) =>
        content.Length == Size && content.StartsWith(Magic) && content[4] == Layout1 && FileChecksum.IsValid(content)
            ? BinaryPrimitives.ReadInt64LittleEndian(content[5..])
            : null;
}
