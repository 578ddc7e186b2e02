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

    // The end of the file as this process last appended or read it, and the chain's head there: appends from other
    // processes are read from that offset on, not from the start.
    private long _knownLength;
    private long _headSequence;
    private byte[] _headHash = SecretAuditChain.Genesis;

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
        foreach (ReadOnlyMemory<byte> line in CompleteLines(ReadFile()))
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
        foreach (ReadOnlyMemory<byte> line in CompleteLines(ReadFile()))
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
        CatchUp(file);
        SecretAuditRecord record = SecretAuditChain.Append(_headSequence + 1, auditEvent, _headHash);
        byte[] line = AuditLine.Format(record);
        file.Position = _knownLength;
        file.Write(line);
        file.Flush(flushToDisk: true);
        if (created)
        {
            DurableFile.FlushDirectory(_folder);
        }

        _knownLength += line.Length;
        _headSequence = record.Sequence;
        _headHash = record.Hash.ToArray();
    }

    // Under the lock: reads what other processes appended since this one last looked, and cuts off a torn last line.
    private void CatchUp(FileStream file)
    {
        if (file.Length < _knownLength)
        {
            // The file shrank (restored from a backup, or cut): start over from its beginning.
            _knownLength = 0;
            _headSequence = 0;
            _headHash = SecretAuditChain.Genesis;
        }

        if (file.Length == _knownLength)
        {
            return;
        }

        var tail = new byte[file.Length - _knownLength];
        file.Position = _knownLength;
        file.ReadExactly(tail);
        int end = Array.LastIndexOf(tail, (byte)'\n') + 1;
        if (end < tail.Length)
        {
            // A crash mid-append: that event was never acknowledged, so it goes.
            file.SetLength(_knownLength + end);
            file.Flush(flushToDisk: true);
        }

        ReadOnlyMemory<byte> complete = tail.AsMemory(0, end);
        ReadOnlyMemory<byte> last = CompleteLines(complete).LastOrDefault();
        if (!last.IsEmpty)
        {
            // The chain continues from the last line as written; if it was tampered with, VerifyAsync says where.
            SecretAuditRecord previous = AuditLine.Parse(last.Span)
                ?? throw new IOException($"The last line of the audit log '{_path}' is not a valid event; run verify.");
            _headSequence = previous.Sequence;
            _headHash = previous.Hash.ToArray();
        }

        _knownLength += end;
    }

    private byte[] ReadFile()
    {
        try
        {
            using var file = new FileStream(_path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            var content = new byte[file.Length];
            file.ReadExactly(content);
            return content;
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            // Nothing audited yet.
            return [];
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new SecretStoreException($"The audit log '{_path}' could not be read; the inner exception holds the file system's error.", ex);
        }
    }

    // Every line ended by '\n'; an unfinished last line is a torn append and is not part of the log.
    private static IEnumerable<ReadOnlyMemory<byte>> CompleteLines(ReadOnlyMemory<byte> content)
    {
        int start = 0;
        while (start < content.Length)
        {
            int newline = content.Span[start..].IndexOf((byte)'\n');
            if (newline < 0)
            {
                yield break;
            }

            yield return content.Slice(start, newline);
            start += newline + 1;
        }
    }
}
