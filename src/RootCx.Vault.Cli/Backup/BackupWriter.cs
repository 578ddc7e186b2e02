using System.Buffers.Binary;
using System.Security.Cryptography;
using RootCx.Vault.IO;

namespace RootCx.Vault.Cli.Backup;

/// <summary>
/// Writes a backup one secret at a time, so memory does not grow with the store: to a private temporary file beside
/// the destination (mode 0600 on Unix), fsynced and renamed into place by <see cref="Complete"/>. Disposed before
/// that, it deletes the temporary file, so no partial backup ever bears the destination's name.
/// </summary>
internal sealed class BackupWriter : IDisposable
{
    private readonly string _destination;
    private readonly string _temporary;
    private readonly bool _overwrite;
    private readonly BackupHeader _header;
    private readonly AesGcm _cipher;
    private readonly FileStream _file;
    private readonly byte[] _plaintext = GC.AllocateArray<byte>(BackupFormat.MaxPlaintextSize, pinned: true);
    private readonly byte[] _sealed = new byte[BackupFormat.RecordPrefixSize + BackupFormat.MaxPlaintextSize + BackupFormat.TagSize];
    private readonly byte[] _associatedData = new byte[BackupFormat.AssociatedDataSize];
    private ulong _index;
    private bool _completed;

    public BackupWriter(string destination, bool overwrite, BackupHeader header, BackupKey key)
    {
        _destination = Path.GetFullPath(destination);
        _overwrite = overwrite;
        _header = header;
        string folder = Path.GetDirectoryName(_destination)!;
        _temporary = Path.Combine(folder, $".{Path.GetFileName(_destination)}.{Guid.NewGuid():N}.tmp");
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        _file = new FileStream(_temporary, options);
        try
        {
            _cipher = new AesGcm(key.Bytes, BackupFormat.TagSize);
            _file.Write(header.Bytes);
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>Gets how many secrets were written so far.</summary>
    public ulong Count { get; private set; }

    public void Add(SecretScope scope, SecretName name, DateTimeOffset createdAt, DateTimeOffset updatedAt, long version, ReadOnlySpan<byte> value)
    {
        int length = BackupRecord.WriteSecret(_plaintext, scope, name, createdAt, updatedAt, version, value);
        Seal(length, final: false);
        Count++;
    }

    /// <summary>Writes the end marker, flushes the file to disk and renames it to the destination.</summary>
    /// <exception cref="IOException">The destination exists (without overwrite) or the disk failed; the temporary file is removed.</exception>
    public void Complete()
    {
        Seal(BackupRecord.WriteEnd(_plaintext, Count), final: true);
        _file.Flush(flushToDisk: true);
        _file.Dispose();
        File.Move(_temporary, _destination, _overwrite);
        _completed = true;
        DirectoryFlush.Flush(Path.GetDirectoryName(_destination)!);
    }

    public void Dispose()
    {
        CryptographicOperations.ZeroMemory(_plaintext);
        _cipher?.Dispose();
        _file.Dispose();
        if (!_completed)
        {
            File.Delete(_temporary);
        }
    }

    // Record: uint32 BE ciphertext length || nonce || ciphertext || tag; AAD = header || uint64 BE index || final.
    private void Seal(int length, bool final)
    {
        Span<byte> record = _sealed.AsSpan(0, BackupFormat.RecordPrefixSize + length + BackupFormat.TagSize);
        BinaryPrimitives.WriteUInt32BigEndian(record, (uint)length);
        Span<byte> nonce = record.Slice(4, BackupFormat.NonceSize);
        RandomNumberGenerator.Fill(nonce);
        BackupFormat.WriteAssociatedData(_associatedData, _header.Bytes, _index, final);
        try
        {
            _cipher.Encrypt(
                nonce,
                _plaintext.AsSpan(0, length),
                record.Slice(BackupFormat.RecordPrefixSize, length),
                record[(BackupFormat.RecordPrefixSize + length)..],
                _associatedData);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(_plaintext.AsSpan(0, length));
        }

        _file.Write(record);
        _index++;
    }
}
