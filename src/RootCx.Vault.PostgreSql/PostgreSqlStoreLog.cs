using Microsoft.Extensions.Logging;

namespace RootCx.Vault.PostgreSql;

/// <summary>The PostgreSQL store's log messages, with stable event ids; channels and schemas, never data.</summary>
internal static partial class PostgreSqlStoreLog
{
    [LoggerMessage(200, LogLevel.Debug, "Listening for changes on channel {Channel}.")]
    public static partial void Listening(ILogger logger, string channel);

    [LoggerMessage(201, LogLevel.Warning, "Lost the connection that listens on channel {Channel}; polling finds changes meanwhile, reconnecting in {Backoff}.")]
    public static partial void ListenerLost(ILogger logger, string channel, TimeSpan backoff, Exception exception);

    [LoggerMessage(202, LogLevel.Error, "A callback of the store's change token threw.")]
    public static partial void ChangeCallbackFailed(ILogger logger, Exception exception);
}
