using System.Buffers.Binary;

namespace RootCx.Vault.FileSystem;

/// <summary>
/// The store's key record, the file <c>keys</c> (docs/FORMAT.md), little-endian:
/// <c>{ "RCXK" || layout (1) || count (2) || keyId (4) × count || checksum (8) }</c>.
/// </summary>
internal static class KeyRecordFile
{
    private const byte Layout1 = 1;
    private const int HeaderSize = 4 + 1 + 2;
    private const int KeyIdSize = 4;

    private static ReadOnlySpan<byte> Magic => "RCXK"u8;

    public static byte[] Encode(IReadOnlySet<MasterKeyId> keyIds)
    {
        byte[] content = new byte[HeaderSize + (keyIds.Count * KeyIdSize) + FileChecksum.Size];
        Magic.CopyTo(content);
        content[4] = Layout1;
        BinaryPrimitives.WriteUInt16LittleEndian(content.AsSpan(5), checked((ushort)keyIds.Count));
        int offset = HeaderSize;
        foreach (MasterKeyId keyId in keyIds.OrderBy(id => id.Value))
        {
            BinaryPrimitives.WriteUInt32LittleEndian(content.AsSpan(offset), keyId.Value);
            offset += KeyIdSize;
        }

        FileChecksum.Write(content.AsSpan(0, offset), content.AsSpan(offset));
        return content;
    }

    /// <exception cref="SecretStoreException">The file is damaged; the message names it.</exception>
    public static HashSet<MasterKeyId> Decode(ReadOnlySpan<byte> content, string path)
    {
        if (content.Length < HeaderSize + FileChecksum.Size || !content.StartsWith(Magic) || content[4] != Layout1
            || !FileChecksum.IsValid(content)
            || content.Length != HeaderSize + (BinaryPrimitives.ReadUInt16LittleEndian(content[5..]) * KeyIdSize) + FileChecksum.Size)
        {
            throw new SecretStoreException(
                $"The key record '{path}' is damaged. Restore it from a backup: without it the store cannot tell which master keys it was set up with.");
        }

        var keyIds = new HashSet<MasterKeyId>();
        for (int offset = HeaderSize; offset < content.Length - FileChecksum.Size; offset += KeyIdSize)
        {
            keyIds.Add(new MasterKeyId(BinaryPrimitives.ReadUInt32LittleEndian(content[offset..])));
        }

        return keyIds;
    }
}
