using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using RootCx.Vault.Auditing;
using RootCx.Vault.Diagnostics;

namespace RootCx.Vault.Injection;

/// <summary>Applies the precedence of <see cref="SecretInjectionOptions"/> to an app's (and maybe the platform's) secrets.</summary>
internal sealed class SecretInjector(ISecretReader reader, IOptions<SecretInjectionOptions> options, SecretAuditTrail audit, ILogger<SecretInjector>? logger = null) : ISecretInjector
{
    private readonly ILogger _logger = (ILogger?)logger ?? NullLogger.Instance;

    public async ValueTask<SecretEnvironment> BuildEnvironmentAsync(string appId, CancellationToken cancellationToken = default)
    {
        SecretScope scope = SecretScope.ForApp(appId);
        SecretInjectionOptions settings = options.Value;
        SecretBundle? platform = null;
        SecretBundle app;
        try
        {
            platform = settings.IncludePlatformSecrets ? await reader.GetAllAsync(SecretScope.Platform, cancellationToken).ConfigureAwait(false) : null;
            app = await reader.GetAllAsync(scope, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            platform?.Dispose();
            if (SecretAuditTrail.OutcomeOf(ex) is { } outcome)
            {
                await audit.RecordAsync(SecretAuditAction.BuildEnvironment, scope, null, null, null, outcome).ConfigureAwait(false);
            }

            throw;
        }

        await audit.RecordAsync(SecretAuditAction.BuildEnvironment, scope, null, null, null, SecretAuditOutcome.Succeeded).ConfigureAwait(false);

        // Later sources win: an app secret replaces a platform secret of the same name.
        var variables = new Dictionary<string, SecretValue>(StringComparer.OrdinalIgnoreCase);
        var conflicts = new List<string>();
        foreach (SecretValue value in (platform?.AsEnumerable() ?? []).Concat(app))
        {
            if (settings.IsReserved(value.Name))
            {
                conflicts.Add(value.Name);
                VaultLog.ReservedVariableConflict(_logger, scope, value.Name, settings.AllowReservedOverride);
                if (!settings.AllowReservedOverride)
                {
                    continue;
                }
            }

            variables[value.Name] = value;
        }

        return new SecretEnvironment(app, platform, [.. variables.Values], conflicts);
    }
}
