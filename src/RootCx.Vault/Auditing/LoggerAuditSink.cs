using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using RootCx.Vault.Diagnostics;

namespace RootCx.Vault.Auditing;

/// <summary>The built-in sink: each event as one Information log entry (event 31) in category <c>RootCx.Vault.Audit</c>.</summary>
internal sealed class LoggerAuditSink(ILoggerFactory? loggers) : ISecretAuditSink
{
    private readonly ILogger _logger = loggers?.CreateLogger("RootCx.Vault.Audit") ?? NullLogger.Instance;

    public ValueTask WriteAsync(SecretAuditEvent auditEvent, CancellationToken cancellationToken = default)
    {
        VaultLog.Audited(_logger, auditEvent.Actor, auditEvent.Action, auditEvent.Scope, auditEvent.Name, auditEvent.Version, auditEvent.KeyId, auditEvent.Outcome);
        return ValueTask.CompletedTask;
    }
}
