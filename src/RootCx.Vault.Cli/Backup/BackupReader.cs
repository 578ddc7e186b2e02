using System.Buffers.Binary;
using System.Security.Cryptography;

namespace RootCx.Vault.Cli.Backup;

/// <summary>
/// Reads a backup record by record, authenticating each before it is used. The file stays open between passes, so
/// import authenticates the whole file first (<see cref="Verify"/>) and then reads the same bytes again to write.
/// </summary>
internal sealed class BackupReader : IDisposable
{
    private readonly FileStream _file;
    private readonly byte[] _plaintext = GC.AllocateArray<byte>(BackupFormat.MaxPlaintextSize, pinned: true);
    private readonly byte[] _sealed = new byte[BackupFormat.MaxPlaintextSize + BackupFormat.TagSize];
    private readonly byte[] _associatedData = new byte[BackupFormat.AssociatedDataSize];

    private BackupReader(FileStream file, BackupHeader header)
    {
        _file = file;
        Header = header;
    }

    public BackupHeader Header { get; }

    /// <exception cref="OperatorException">The file cannot be read or does not start with a backup header.</exception>
    public static BackupReader Open(string path)
    {
        FileStream file;
        try
        {
            // Writers are shut out where the platform allows, so both passes read the same bytes.
            file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new OperatorException($"Could not read the backup '{Path.GetFullPath(path)}': {ex.Message}");
        }

        try
        {
            byte[] header = new byte[BackupFormat.HeaderSize];
            int read = file.ReadAtLeast(header, header.Length, throwOnEndOfStream: false);
            return new BackupReader(file, BackupHeader.Parse(header.AsSpan(0, read)));
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>Authenticates every record and checks every field, keeping no value; returns the number of secrets.</summary>
    /// <exception cref="OperatorException">A wrong key, or a record damaged, reordered, missing or out of order.</exception>
    public ulong Verify(BackupKey key)
    {
        ulong count = 0;
        foreach (BackupSecret secret in Read(key, keepValues: false))
        {
            secret.Dispose();
            count++;
        }

        return count;
    }

    /// <summary>
    /// Yields the secrets in file order (namespace, then name ignoring case), each authenticated, then checks the end
    /// marker. Dispose each secret once used; it clears the value.
    /// </summary>
    public IEnumerable<BackupSecret> Read(BackupKey key, bool keepValues)
    {
        _file.Position = BackupFormat.HeaderSize;
        using var cipher = new AesGcm(key.Bytes, BackupFormat.TagSize);
        BackupSecret? previous = null;
        for (ulong index = 0; ; index++)
        {
            int length = OpenNext(cipher, index, out bool final);
            try
            {
                ReadOnlySpan<byte> plaintext = _plaintext.AsSpan(0, length);
                if (final)
                {
                    if (BackupRecord.ReadEnd(plaintext, index) != index)
                    {
                        throw BackupRecord.Damaged(index, "the end marker counts another number of secrets");
                    }

                    yield break;
                }

                BackupSecret secret = BackupRecord.ReadSecret(plaintext, index, keepValues);
                if (previous is not null && Compare(previous, secret) >= 0)
                {
                    secret.Dispose();
                    throw BackupRecord.Damaged(index, "the secrets are not in order (or one appears twice)");
                }

                previous = secret;
                yield return secret;
            }
            finally
            {
                CryptographicOperations.ZeroMemory(_plaintext.AsSpan(0, length));
            }
        }
    }

    public void Dispose()
    {
        CryptographicOperations.ZeroMemory(_plaintext);
        _file.Dispose();
    }

    /// <summary>The order the export writes and import relies on to merge with a scope's listing.</summary>
    public static int Compare(BackupSecret a, BackupSecret b)
    {
        int byScope = string.CompareOrdinal(a.Scope.Namespace, b.Scope.Namespace);
        return byScope != 0 ? byScope : StringComparer.OrdinalIgnoreCase.Compare(a.Name.Value, b.Name.Value);
    }

    // The final flag comes from the position: the file's last record must have been sealed as the last one.
    private int OpenNext(AesGcm cipher, ulong index, out bool final)
    {
        Span<byte> prefix = stackalloc byte[BackupFormat.RecordPrefixSize];
        int read = _file.ReadAtLeast(prefix, prefix.Length, throwOnEndOfStream: false);
        if (read == 0)
        {
            throw BackupRecord.Damaged(index, "the file ends without an end marker");
        }

        uint length = read == prefix.Length ? BinaryPrimitives.ReadUInt32BigEndian(prefix) : 0;
        if (length is 0 or > BackupFormat.MaxPlaintextSize)
        {
            throw BackupRecord.Damaged(index, read == prefix.Length ? "the record's length is out of range" : "the file is cut short");
        }

        Span<byte> body = _sealed.AsSpan(0, (int)length + BackupFormat.TagSize);
        if (_file.ReadAtLeast(body, body.Length, throwOnEndOfStream: false) != body.Length)
        {
            throw BackupRecord.Damaged(index, "the file is cut short");
        }

        final = _file.Position == _file.Length;
        BackupFormat.WriteAssociatedData(_associatedData, Header.Bytes, index, final);
        try
        {
            cipher.Decrypt(prefix[4..], body[..(int)length], body[(int)length..], _plaintext.AsSpan(0, (int)length), _associatedData);
        }
        catch (CryptographicException)
        {
            throw index == 0
                ? new OperatorException("The passphrase or backup key is wrong, or the backup is damaged: its first record fails authentication.")
                : BackupRecord.Damaged(index, "it fails authentication (altered, reordered, cut short or from another backup)");
        }

        return (int)length;
    }
}
