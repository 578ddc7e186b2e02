using Microsoft.Extensions.Options;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using RootCx.Vault;
using RootCx.Vault.SampleHost;
using RootCx.Vault.SampleHost.Api;
using RootCx.Vault.SampleHost.Security;

// The vault on the web: the HTTP API, the Secret Vault panel, the FileSystem store and a master key created on first
// boot, all under one data folder (Vault:DataPath, relative to the content root, default ./data). With a
// ConnectionStrings:Vault, secrets go to PostgreSQL instead (schema Vault:Schema, default rootcx_vault).
WebApplicationBuilder builder = WebApplication.CreateBuilder(args);
string dataPath = Path.GetFullPath(builder.Configuration["Vault:DataPath"] ?? "data", builder.Environment.ContentRootPath);
Directory.CreateDirectory(dataPath);

// The host logs a failed start with the exception's stack trace. The failures caught at the end are reported once
// without one; any other still ends in the runtime's report of an unhandled exception.
builder.Logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.Critical);

builder.Services.AddRootCxVault(o => o.KeyFilePath = Path.Combine(dataPath, "config", "master.key"))
    .PersistTo(builder.Configuration, dataPath);

// The audit trail names the authenticated caller; the runtime acts for itself.
builder.Services.AddHttpContextAccessor();
builder.Services.AddSingleton<ISecretAuditActor, HttpCallerAuditActor>();
builder.Services.AddSingleton(AdminApiKey.Load(builder.Configuration["Admin:ApiKey"], dataPath));
builder.Services.AddAuthentication(AdminApiKeyAuthenticationHandler.SchemeName)
    .AddScheme<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions, AdminApiKeyAuthenticationHandler>(AdminApiKeyAuthenticationHandler.SchemeName, null);
builder.Services.AddAuthorization();
builder.Services.AddProblemDetails();
builder.Services.AddExceptionHandler<UnreadableRequestHandler>();
builder.Services.AddOpenApi();
builder.Services.AddHealthChecks().AddRootCxVault();

// The vault's metrics and spans, with ASP.NET Core's own, exported over OTLP when OTEL_EXPORTER_OTLP_ENDPOINT is set
// (the other standard OTEL_* variables configure the exporter); without it they stay in the process.
OpenTelemetryBuilder telemetry = builder.Services.AddOpenTelemetry()
    .WithMetrics(metrics => metrics.AddMeter(RootCxVaultDiagnostics.MeterName, "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel"))
    .WithTracing(tracing => tracing.AddSource(RootCxVaultDiagnostics.ActivitySourceName, "Microsoft.AspNetCore"));
if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
{
    telemetry.UseOtlpExporter();
}

WebApplication app = builder.Build();
app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseSecurityHeaders();
app.UseDefaultFiles();
app.UseStaticFiles();
app.UseAuthentication();
app.UseAuthorization();
app.UseEmptyAppIdAsBadRequest();
app.MapOpenApi().RequireAuthorization();
app.MapSecretEndpoints();
app.MapSecretHistoryEndpoints();
app.MapDeletedSecretEndpoints();
app.MapAuditEndpoints();

// Status only (Healthy, Degraded, Unhealthy), for load balancers and orchestrators: the reasons stay in the logs.
app.MapHealthChecks("/healthz");

app.Lifetime.ApplicationStarted.Register(() => StartupBanner.Print(app, dataPath));
try
{
    app.Run();
    return 0;
}
catch (MasterKeyException)
{
    // A wrong or missing master key is an operator's mistake, not a crash: the vault has logged why (naming key ids,
    // never keys), so end with a plain failure instead of an abort that repeats it.
    return 1;
}
catch (SecretStoreException ex)
{
    // The store could not be reached for the start-up key check: say which store (never its credentials) and stop.
    Console.Error.WriteLine($"The sample host cannot start: {ex.Message} ({ex.InnerException?.Message})");
    return 1;
}
catch (OptionsValidationException ex)
{
    // A malformed ROOTCX_MASTER_KEY or another bad setting, checked before the key and logged by nobody. The messages
    // name the setting, never its content.
    Console.Error.WriteLine($"The sample host cannot start: {ex.Message}");
    return 1;
}
