namespace RootCx.Vault;

/// <summary>
/// One audited operation: who did what to which secret, and how it ended. It has no member that could hold a value,
/// so a sink cannot leak one.
/// </summary>
public sealed class SecretAuditEvent
{
    /// <summary>Creates an event; the vault creates them, stores re-create them from what they recorded.</summary>
    /// <param name="timestamp">When the operation ended.</param>
    /// <param name="actor">Who asked (see <see cref="ISecretAuditActor"/>).</param>
    /// <param name="action">What was done.</param>
    /// <param name="scope">The scope acted on.</param>
    /// <param name="name">The secret's name, or <see langword="null"/> for an operation on the whole scope.</param>
    /// <param name="version">The secret's version after the operation (or the current one, on a conflict), when known.</param>
    /// <param name="keyId">The master key that seals the secret after the operation, when known.</param>
    /// <param name="outcome">How it ended.</param>
    public SecretAuditEvent(DateTimeOffset timestamp, string actor, SecretAuditAction action, SecretScope scope, string? name, long? version, MasterKeyId? keyId, SecretAuditOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(scope);
        Timestamp = timestamp;
        Actor = actor;
        Action = action;
        Scope = scope;
        Name = name;
        Version = version;
        KeyId = keyId;
        Outcome = outcome;
    }

    /// <summary>Gets when the operation ended, in microseconds (what every durable log keeps).</summary>
    public DateTimeOffset Timestamp { get; }

    /// <summary>Gets who asked: an authenticated caller, the runtime, a process.</summary>
    public string Actor { get; }

    /// <summary>Gets what was done.</summary>
    public SecretAuditAction Action { get; }

    /// <summary>Gets the scope acted on.</summary>
    public SecretScope Scope { get; }

    /// <summary>Gets the secret's name, or <see langword="null"/> for an operation on the whole scope.</summary>
    public string? Name { get; }

    /// <summary>Gets the secret's version after the operation (the current one, on a conflict), when known.</summary>
    public long? Version { get; }

    /// <summary>Gets the master key that seals the secret after the operation, when known.</summary>
    public MasterKeyId? KeyId { get; }

    /// <summary>Gets how the operation ended.</summary>
    public SecretAuditOutcome Outcome { get; }

    /// <summary>Describes the event (it holds no value).</summary>
    /// <returns>Action, scope, name and outcome.</returns>
    public override string ToString() => $"SecretAuditEvent({Action} {Scope.Namespace}/{Name ?? "*"} by {Actor}: {Outcome})";
}
