namespace RootCx.Vault;

/// <summary>
/// Receives every audit event. Register any number (<c>services.AddSingleton&lt;ISecretAuditSink, …&gt;()</c>); the
/// vault calls each of them, in registration order, after the operation.
/// </summary>
/// <remarks>
/// A sink that throws does not undo the operation (it already happened): the vault logs the failure at Error
/// (event 30) and counts it in <c>rootcx.vault.audit.failures</c>, and the other sinks still receive the event.
/// </remarks>
public interface ISecretAuditSink
{
    /// <summary>Records <paramref name="auditEvent"/>; returns once it is as durable as the sink makes it.</summary>
    /// <param name="auditEvent">The event.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when the event is recorded.</returns>
    ValueTask WriteAsync(SecretAuditEvent auditEvent, CancellationToken cancellationToken = default);
}
