using RootCx.Vault.Testing;

namespace RootCx.Vault.Tests;

/// <summary>
/// A durable-log stand-in for vault tests: keeps events in memory, numbered from 1, and answers queries as a store's
/// log does (filters, pages after a sequence). It chains nothing, so it cannot verify.
/// </summary>
internal sealed class RecordingAuditLog : ISecretAuditLog
{
    private readonly RecordingAuditSink _events = new();

    public IReadOnlyList<SecretAuditEvent> Events => _events.Events;

    public ValueTask WriteAsync(SecretAuditEvent auditEvent, CancellationToken cancellationToken = default) =>
        _events.WriteAsync(auditEvent, cancellationToken);

    public ValueTask<IReadOnlyList<SecretAuditRecord>> ReadAsync(SecretAuditQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        IReadOnlyList<SecretAuditRecord> page = [.. _events.Events
            .Select((e, i) => new SecretAuditRecord(i + 1, e, ReadOnlyMemory<byte>.Empty, ReadOnlyMemory<byte>.Empty))
            .Where(r => r.Sequence > query.AfterSequence && query.Matches(r.Event))
            .Take(query.Limit)];
        return ValueTask.FromResult(page);
    }

    public ValueTask<SecretAuditVerification> VerifyAsync(CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("An in-memory log keeps no chain.");
}
