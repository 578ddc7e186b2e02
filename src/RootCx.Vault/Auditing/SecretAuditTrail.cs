using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using RootCx.Vault.Diagnostics;

namespace RootCx.Vault.Auditing;

/// <summary>
/// Makes an event of each audited operation and hands it to every registered <see cref="ISecretAuditSink"/>. A sink
/// that fails cannot undo what already happened: its failure is logged at Error and counted, the operation's result
/// stands, and the other sinks still receive the event.
/// </summary>
internal sealed class SecretAuditTrail(IEnumerable<ISecretAuditSink> sinks, ISecretAuditActor actor, TimeProvider time, VaultTelemetry telemetry, ILogger<SecretAuditTrail>? logger = null)
{
    private readonly ISecretAuditSink[] _sinks = [.. sinks];
    private readonly ILogger _logger = (ILogger?)logger ?? NullLogger.Instance;

    public async ValueTask RecordAsync(SecretAuditAction action, SecretScope scope, string? name, long? version, MasterKeyId? keyId, SecretAuditOutcome outcome)
    {
        if (_sinks.Length == 0)
        {
            return;
        }

        // Microseconds: what every durable log keeps, so the hash of a stored event is the hash of the event made.
        DateTimeOffset now = time.GetUtcNow();
        var auditEvent = new SecretAuditEvent(now.AddTicks(-(now.UtcTicks % 10)), ActorName(), action, scope, name, version, keyId, outcome);
        foreach (ISecretAuditSink sink in _sinks)
        {
            try
            {
                // Not the caller's token: once the operation happened, a canceled caller must not lose its event.
                await sink.WriteAsync(auditEvent, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                VaultLog.AuditWriteFailed(_logger, sink.GetType().Name, action, scope, name, ex);
                telemetry.AuditWriteFailed(sink.GetType().Name);
            }
        }
    }

    // The actor is host code; if it fails, the event still says something happened, and the failure is logged.
    private string ActorName()
    {
        try
        {
            return actor.Name;
        }
        catch (Exception ex)
        {
            VaultLog.AuditActorFailed(_logger, actor.GetType().Name, ex);
            return "unknown";
        }
    }

    /// <summary>The outcome of an operation that threw, or <see langword="null"/> when it is not audited (the caller gave up).</summary>
    public static SecretAuditOutcome? OutcomeOf(Exception exception) => exception switch
    {
        SecretConflictException => SecretAuditOutcome.Conflict,
        OperationCanceledException => null,
        _ => SecretAuditOutcome.Failed,
    };
}
