namespace RootCx.Vault.FileSystem;

/// <summary>
/// Serializes writers of one store across threads and processes: a semaphore per store folder inside the process,
/// then the file <c>lock</c> opened exclusively (an advisory <c>flock</c> on Unix, a share-none handle on Windows),
/// which the operating system releases when a holder dies, even by SIGKILL.
/// </summary>
internal sealed class StoreLock
{
    private static readonly Dictionary<string, SemaphoreSlim> InProcess = [];
    private readonly string _path;
    private readonly SemaphoreSlim _semaphore;

    public StoreLock(string path)
    {
        _path = path;
        lock (InProcess)
        {
            if (!InProcess.TryGetValue(path, out SemaphoreSlim? semaphore))
            {
                InProcess[path] = semaphore = new SemaphoreSlim(1, 1);
            }

            _semaphore = semaphore;
        }
    }

    /// <summary>Waits for the lock; cancellation applies only while waiting.</summary>
    public async ValueTask<IDisposable> AcquireAsync(CancellationToken cancellationToken)
    {
        await _semaphore.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            for (int delay = 1; ; delay = Math.Min(delay * 2, 20))
            {
                if (TryOpenExclusively() is { } file)
                {
                    return new Held(file, _semaphore);
                }

                await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
            }
        }
        catch
        {
            _semaphore.Release();
            throw;
        }
    }

    private FileStream? TryOpenExclusively()
    {
        try
        {
            return new FileStream(_path, DurableFile.OwnerOnly(FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
        }
        catch (IOException) when (File.Exists(_path))
        {
            return null;
        }
    }

    private sealed class Held(FileStream file, SemaphoreSlim semaphore) : IDisposable
    {
        public void Dispose()
        {
            file.Dispose();
            semaphore.Release();
        }
    }
}
