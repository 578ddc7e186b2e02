namespace RootCx.Vault;

/// <summary>
/// Names who is acting, for the audit trail. The host supplies it: a web host the authenticated caller, a runtime
/// itself. The default names the process (<c>process:&lt;name&gt;</c>).
/// </summary>
public interface ISecretAuditActor
{
    /// <summary>Gets the name of the current actor. Read once per audited operation, on the caller's thread.</summary>
    string Name { get; }
}
