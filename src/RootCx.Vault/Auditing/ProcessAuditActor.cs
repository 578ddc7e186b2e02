using System.Diagnostics;

namespace RootCx.Vault.Auditing;

/// <summary>The default actor: this process, <c>process:&lt;name&gt;</c>, for hosts that do not say who acts.</summary>
internal sealed class ProcessAuditActor : ISecretAuditActor
{
    public string Name { get; } = "process:" + ProcessName();

    private static string ProcessName()
    {
        using Process self = Process.GetCurrentProcess();
        return self.ProcessName;
    }
}
