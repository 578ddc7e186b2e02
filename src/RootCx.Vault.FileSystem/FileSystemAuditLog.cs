using RootCx.Vault.Audit;

namespace RootCx.Vault.FileSystem;

/// <summary>
/// The file store's durable audit log: <c>audit/events.log</c> in the store folder, one JSON line per event, each
/// chained to the one before by SHA-256 (docs/FORMAT.md). Appends from every process sharing the folder queue on
/// <c>audit/lock</c> (a <see cref="StoreLock"/> of its own, so audit writes never wait behind a group commit of secrets),
/// and each returns only once its line is fsynced. A line left unfinished by a crash mid-append was never acknowledged:
/// readers ignore it and the next append cuts it off.
/// </summary>
internal sealed class FileSystemAuditLog : ISecretAuditLog
{
    private readonly string _folder;
    private readonly string _path;
    private readonly StoreLock _lock;

    // A line is a few hundred bytes; reads go by chunks, so memory stays flat however long the log grows.
    private const int ChunkSize = 64 * 1024;

    public FileSystemAuditLog(string rootPath)
    {
        _folder = Path.Combine(Path.GetFullPath(rootPath), "audit");
        _path = Path.Combine(_folder, "events.log");

        // Nothing touches the disk before the first append: a process that only reads, or is refused, changes nothing.
        _lock = new StoreLock(Path.Combine(_folder, "lock"));
    }

    public string FilePath => _path;

    public async ValueTask WriteAsync(SecretAuditEvent auditEvent, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(auditEvent);
        try
        {
            if (!Directory.Exists(_folder))
            {
                DurableFile.CreateOwnerOnlyDirectory(_folder);
                DurableFile.FlushDirectory(Path.GetDirectoryName(_folder)!);
            }

            using (await _lock.AcquireAsync(cancellationToken).ConfigureAwait(false))
            {
                Append(auditEvent);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new SecretStoreException($"The audit log '{_path}' could not be appended to; the inner exception holds the file system's error.", ex);
        }
    }

    public ValueTask<IReadOnlyList<SecretAuditRecord>> ReadAsync(SecretAuditQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        int limit = Math.Clamp(query.Limit, 1, SecretAuditQuery.MaxLimit);
        var page = new List<SecretAuditRecord>();
        foreach (ReadOnlyMemory<byte> line in ReadCompleteLines())
        {
            cancellationToken.ThrowIfCancellationRequested();

            // A line that does not parse is not an event to show; VerifyAsync reports where it breaks the chain.
            if (AuditLine.Parse(line.Span) is { } record && record.Sequence > query.AfterSequence && query.Matches(record.Event))
            {
                page.Add(record);
                if (page.Count == limit)
                {
                    break;
                }
            }
        }

        return ValueTask.FromResult<IReadOnlyList<SecretAuditRecord>>(page);
    }

    public ValueTask<SecretAuditVerification> VerifyAsync(CancellationToken cancellationToken = default)
    {
        var walk = new SecretAuditChainWalk();
        foreach (ReadOnlyMemory<byte> line in ReadCompleteLines())
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (AuditLine.Parse(line.Span) is { } record)
            {
                if (!walk.Accept(record))
                {
                    break;
                }
            }
            else
            {
                walk.Unreadable();
                break;
            }
        }

        return ValueTask.FromResult(walk.Result());
    }

    public override string ToString() => $"FileSystemAuditLog({_path})";

    private void Append(SecretAuditEvent auditEvent)
    {
        bool created = !File.Exists(_path);
        using var file = new FileStream(_path, DurableFile.OwnerOnly(FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.ReadWrite));
        (long end, long headSequence, byte[] headHash) = ReadHead(file);
        SecretAuditRecord record = SecretAuditChain.Append(headSequence + 1, auditEvent, headHash);
        byte[] line = AuditLine.Format(record);
        file.Position = end;
        file.Write(line);
        file.Flush(flushToDisk: true);
        if (created)
        {
            DurableFile.FlushDirectory(_folder);
        }
    }

    /// <summary>
    /// Under the lock: the chain's head as the file holds it now, read from its last complete line (found from the end,
    /// so the cost does not grow with the log, and a file another process appended to, or that was restored, is read as
    /// it is), after cutting off a torn last line.
    /// </summary>
    private (long End, long HeadSequence, byte[] HeadHash) ReadHead(FileStream file)
    {
        long end = EndOfCompleteLines(file, file.Length);
        if (end < file.Length)
        {
            // A crash mid-append: that event was never acknowledged, so it goes.
            file.SetLength(end);
            file.Flush(flushToDisk: true);
        }

        if (end == 0)
        {
            return (0, 0, SecretAuditChain.Genesis);
        }

        long start = EndOfCompleteLines(file, end - 1);
        var last = new byte[end - 1 - start];
        file.Position = start;
        file.ReadExactly(last);

        // The chain continues from the last line as written; if it was tampered with, VerifyAsync says where.
        SecretAuditRecord previous = AuditLine.Parse(last)
            ?? throw new IOException($"The last line of the audit log '{_path}' is not a valid event; run verify.");
        return (end, previous.Sequence, previous.Hash.ToArray());
    }

    // The position just after the last '\n' before `before`, or 0: read backwards a chunk at a time.
    private static long EndOfCompleteLines(FileStream file, long before)
    {
        var chunk = new byte[ChunkSize];
        for (long to = before; to > 0;)
        {
            long from = Math.Max(0, to - ChunkSize);
            int length = (int)(to - from);
            file.Position = from;
            file.ReadExactly(chunk, 0, length);
            int newline = Array.LastIndexOf(chunk, (byte)'\n', length - 1, length);
            if (newline >= 0)
            {
                return from + newline + 1;
            }

            to = from;
        }

        return 0;
    }

    /// <summary>
    /// Every line ended by '\n', in order, streamed a chunk at a time; an unfinished last line is a torn append and is
    /// not part of the log. Each line is valid until the next is asked for.
    /// </summary>
    private IEnumerable<ReadOnlyMemory<byte>> ReadCompleteLines()
    {
        using FileStream? file = OpenForReading();
        if (file is null)
        {
            yield break;
        }

        var buffer = new byte[ChunkSize];
        int filled = 0;
        while (true)
        {
            if (filled == buffer.Length)
            {
                Array.Resize(ref buffer, buffer.Length * 2);
            }

            int read = ReadChunk(file, buffer, filled);
            if (read == 0)
            {
                yield break;
            }

            filled += read;
            int start = 0;
            int newline;
            while ((newline = Array.IndexOf(buffer, (byte)'\n', start, filled - start)) >= 0)
            {
                yield return buffer.AsMemory(start, newline - start);
                start = newline + 1;
            }

            Buffer.BlockCopy(buffer, start, buffer, 0, filled - start);
            filled -= start;
        }
    }

    private FileStream? OpenForReading()
    {
        try
        {
            return new FileStream(_path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, bufferSize: 1);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            // Nothing audited yet.
            return null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw Unreadable(ex);
        }
    }

    private int ReadChunk(FileStream file, byte[] buffer, int offset)
    {
        try
        {
            return file.Read(buffer, offset, buffer.Length - offset);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw Unreadable(ex);
        }
    }

    private SecretStoreException Unreadable(Exception ex) =>
        new($"The audit log '{_path}' could not be read; the inner exception holds the file system's error.", ex);
}
