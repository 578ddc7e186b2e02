using Microsoft.Extensions.Logging;

namespace RootCx.Vault.Configuration;

/// <summary>The configuration provider's log messages, with stable event ids; scopes, never values.</summary>
internal static partial class ConfigurationLog
{
    [LoggerMessage(300, LogLevel.Error, "Could not reload the secrets of {Scope} into configuration; the values loaded before stay.")]
    public static partial void ReloadFailed(ILogger logger, SecretScope scope, Exception exception);
}
