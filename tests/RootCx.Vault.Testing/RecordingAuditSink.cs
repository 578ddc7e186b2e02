using System.Collections.Concurrent;

namespace RootCx.Vault.Testing;

/// <summary>An audit sink that keeps every event in memory, in order, for tests to look at.</summary>
public sealed class RecordingAuditSink : ISecretAuditSink
{
    private readonly ConcurrentQueue<SecretAuditEvent> _events = new();

    /// <summary>Gets the events received so far.</summary>
    public IReadOnlyList<SecretAuditEvent> Events => [.. _events];

    /// <summary>Gets or sets an exception to throw instead of recording, to test a failing sink.</summary>
    public Exception? FailWith { get; set; }

    /// <inheritdoc />
    public ValueTask WriteAsync(SecretAuditEvent auditEvent, CancellationToken cancellationToken = default)
    {
        if (FailWith is not null)
        {
            throw FailWith;
        }

        _events.Enqueue(auditEvent);
        return ValueTask.CompletedTask;
    }

    /// <summary>Forgets the events received so far.</summary>
    public void Clear() => _events.Clear();
}
