using Microsoft.Extensions.Logging;

namespace RootCx.Vault.Testing;

/// <summary>A logger provider that keeps every message and exception as text, to scan for leaked values.</summary>
public sealed class LogLines : ILoggerProvider
{
    private readonly List<string> _lines = [];

    /// <summary>Gets the lines logged so far.</summary>
    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (_lines)
            {
                return [.. _lines];
            }
        }
    }

    /// <inheritdoc />
    public ILogger CreateLogger(string categoryName) => new LineLogger(this);

    /// <inheritdoc />
    public void Dispose()
    {
    }

    /// <summary>Returns every line, one per line.</summary>
    /// <returns>The log as text.</returns>
    public override string ToString() => string.Join('\n', Lines);

    private void Add(string line)
    {
        lock (_lines)
        {
            _lines.Add(line);
        }
    }

    private sealed class LineLogger(LogLines owner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            owner.Add($"{logLevel}: {formatter(state, exception)} {exception}");
    }
}
