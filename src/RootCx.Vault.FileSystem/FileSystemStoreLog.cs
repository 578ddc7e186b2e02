using Microsoft.Extensions.Logging;

namespace RootCx.Vault.FileSystem;

internal static partial class FileSystemStoreLog
{
    [LoggerMessage(100, LogLevel.Warning, "Removed {Path}, left behind by a writer that stopped mid-write.")]
    public static partial void RemovedStrayFile(ILogger logger, string path);
}
