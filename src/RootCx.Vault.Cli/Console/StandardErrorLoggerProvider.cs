using Microsoft.Extensions.Logging;

namespace RootCx.Vault.Cli.Console;

/// <summary>
/// Writes the library's warnings and errors to stderr, one line each, so stdout stays clean for scripts. The library's
/// events carry names and key ids only; exception details are left out so that a driver's text cannot reach the output.
/// </summary>
internal sealed class StandardErrorLoggerProvider : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => new StandardErrorLogger();

    public void Dispose()
    {
    }

    private sealed class StandardErrorLogger : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                System.Console.Error.WriteLine($"rootcx-vault: {(logLevel == LogLevel.Warning ? "warning" : "error")}: {formatter(state, null)}");
            }
        }
    }
}
