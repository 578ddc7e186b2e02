namespace RootCx.Vault.Cli.Hosting;

/// <summary>Who the audit trail names for what the tool does: the operating-system user who ran it.</summary>
internal sealed class OperatorAuditActor : ISecretAuditActor
{
    public string Name { get; } = $"cli:{Environment.UserName}";
}
