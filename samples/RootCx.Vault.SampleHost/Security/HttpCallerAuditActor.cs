namespace RootCx.Vault.SampleHost.Security;

/// <summary>
/// The audit trail's actor on the web: the authenticated caller of the current request (<c>user:admin</c>); outside a
/// request (the runtime reading secrets, a background task) it is <c>runtime</c>.
/// </summary>
public sealed class HttpCallerAuditActor(IHttpContextAccessor requests) : ISecretAuditActor
{
    public string Name => requests.HttpContext?.User.Identity is { IsAuthenticated: true, Name: { Length: > 0 } name } ? "user:" + name : "runtime";
}
