using Microsoft.Extensions.Logging;

namespace RootCx.Vault.FileSystem;

internal static partial class FileSystemStoreLog
{
    [LoggerMessage(100, LogLevel.Warning, "Removed {Path}, left behind by a writer that stopped mid-write.")]
    public static partial void RemovedStrayFile(ILogger logger, string path);

    [LoggerMessage(101, LogLevel.Warning, "Cannot watch {Path} for changes by other processes; they are found by polling.")]
    public static partial void WatcherFailed(ILogger logger, string path, Exception exception);

    [LoggerMessage(102, LogLevel.Error, "A callback of the store's change token threw.")]
    public static partial void ChangeCallbackFailed(ILogger logger, Exception exception);

    [LoggerMessage(103, LogLevel.Warning, "Skipped {Path} while purging deleted secrets: the file is damaged. Purge the secret by name, or restore the file from a backup.")]
    public static partial void SkippedDamagedDeletedFile(ILogger logger, string path);

    [LoggerMessage(104, LogLevel.Warning, "Purged {Path}, a damaged deleted secret, at the change version.")]
    public static partial void PurgedDamagedDeletedFile(ILogger logger, string path);
}
