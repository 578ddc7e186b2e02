namespace RootCx.Vault;

/// <summary>
/// The names under which the vault reports metrics and traces, for example
/// <c>.WithMetrics(m =&gt; m.AddMeter(RootCxVaultDiagnostics.MeterName))</c> in OpenTelemetry.
/// </summary>
/// <remarks>
/// Counters: <c>rootcx.vault.secret.sets</c>, <c>.secret.deletes</c>, <c>.secret.reads</c> (decrypted for the runtime),
/// <c>.decryption.failures</c>, <c>.conflicts</c> and <c>.rotation.resealed</c>, tagged <c>rootcx.vault.scope.kind</c>
/// (<c>app</c> or <c>platform</c>); <c>rootcx.vault.audit.failures</c> (events an audit sink could not record), tagged
/// <c>rootcx.vault.audit.sink</c>. A histogram <c>rootcx.vault.store.operation.duration</c> (seconds), tagged
/// <c>rootcx.vault.store</c>, <c>rootcx.vault.operation</c> and, on failure, <c>error.type</c>; a span of the same
/// operation also carries <c>rootcx.vault.scope</c>. No tag ever holds a secret's name or value.
/// </remarks>
public static class RootCxVaultDiagnostics
{
    /// <summary>The name of the vault's <see cref="System.Diagnostics.Metrics.Meter"/>.</summary>
    public const string MeterName = "RootCx.Vault";

    /// <summary>The name of the vault's <see cref="System.Diagnostics.ActivitySource"/>.</summary>
    public const string ActivitySourceName = "RootCx.Vault";
}
