using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Reflection;

namespace RootCx.Vault.Diagnostics;

/// <summary>
/// The vault's metrics and traces: a <see cref="Meter"/> and an <see cref="ActivitySource"/>, both named
/// <see cref="RootCxVaultDiagnostics.MeterName"/> (the instruments are listed there). Instruments follow OpenTelemetry's conventions (dotted lower-case names, durations in seconds,
/// <c>error.type</c> on failures). Tags name scopes' kinds, stores and operations, never a secret's name or value, so
/// that telemetry, which leaves the host, carries no secret and stays low in cardinality.
/// </summary>
internal sealed class VaultTelemetry : IDisposable
{
    public static readonly ActivitySource ActivitySource = new(RootCxVaultDiagnostics.ActivitySourceName, Version);

    // Store operations take from tens of microseconds (a cached file) to seconds (a database across a region).
    private static readonly double[] DurationBuckets = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    private readonly Meter _meter;
    private readonly bool _ownsMeter;
    private readonly Counter<long> _sets;
    private readonly Counter<long> _deletes;
    private readonly Counter<long> _reads;
    private readonly Counter<long> _decryptionFailures;
    private readonly Counter<long> _conflicts;
    private readonly Counter<long> _resealed;
    private readonly Counter<long> _auditFailures;
    private readonly Histogram<double> _storeDuration;

    /// <param name="meterFactory">The host's factory (any generic host registers one); without it the vault owns its meter.</param>
    public VaultTelemetry(IMeterFactory? meterFactory = null)
    {
        _ownsMeter = meterFactory is null;
        _meter = meterFactory?.Create(new MeterOptions(RootCxVaultDiagnostics.MeterName) { Version = Version }) ?? new Meter(RootCxVaultDiagnostics.MeterName, Version);
        _sets = _meter.CreateCounter<long>("rootcx.vault.secret.sets", "{secret}", "Secrets set (created or replaced).");
        _deletes = _meter.CreateCounter<long>("rootcx.vault.secret.deletes", "{secret}", "Secrets deleted.");
        _reads = _meter.CreateCounter<long>("rootcx.vault.secret.reads", "{secret}", "Secrets decrypted for the runtime.");
        _decryptionFailures = _meter.CreateCounter<long>("rootcx.vault.decryption.failures", "{secret}", "Envelopes that failed to open: tampered, damaged or under an unknown key.");
        _conflicts = _meter.CreateCounter<long>("rootcx.vault.conflicts", "{write}", "Conditional writes refused because the secret changed meanwhile.");
        _resealed = _meter.CreateCounter<long>("rootcx.vault.rotation.resealed", "{secret}", "Secrets re-sealed under the active master key by rotation.");
        _auditFailures = _meter.CreateCounter<long>("rootcx.vault.audit.failures", "{event}", "Audit events a sink could not record (the operation itself stood).");
        _storeDuration = _meter.CreateHistogram<double>(
            "rootcx.vault.store.operation.duration",
            "s",
            "Duration of store operations.",
            tags: null,
            new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets });
    }

    private static string? Version => typeof(VaultTelemetry).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;

    public void SecretSet(SecretScope scope) => _sets.Add(1, ScopeKind(scope));

    public void SecretDeleted(SecretScope scope) => _deletes.Add(1, ScopeKind(scope));

    public void SecretsRead(SecretScope scope, int count) => _reads.Add(count, ScopeKind(scope));

    public void DecryptionFailed(SecretScope scope) => _decryptionFailures.Add(1, ScopeKind(scope));

    public void Conflict(SecretScope scope, string operation) => _conflicts.Add(1, ScopeKind(scope), new("rootcx.vault.operation", operation));

    public void Resealed(SecretScope scope) => _resealed.Add(1, ScopeKind(scope));

    public void AuditWriteFailed(string sink) => _auditFailures.Add(1, new KeyValuePair<string, object?>("rootcx.vault.audit.sink", sink));

    /// <summary>Starts the span of a store operation, or returns <see langword="null"/> when nobody listens.</summary>
    public static Activity? StartStoreOperation(string store, string operation, SecretScope? scope)
    {
        Activity? activity = ActivitySource.StartActivity($"{RootCxVaultDiagnostics.ActivitySourceName}.store.{operation}", ActivityKind.Client);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag("rootcx.vault.store", store);
            activity.SetTag("rootcx.vault.operation", operation);
            if (scope is not null)
            {
                activity.SetTag("rootcx.vault.scope", scope.Namespace);
            }
        }

        return activity;
    }

    public void StoreOperationEnded(string store, string operation, TimeSpan duration, string? errorType)
    {
        var tags = new TagList { { "rootcx.vault.store", store }, { "rootcx.vault.operation", operation } };
        if (errorType is not null)
        {
            tags.Add("error.type", errorType);
        }

        _storeDuration.Record(duration.TotalSeconds, tags);
    }

    public void Dispose()
    {
        if (_ownsMeter)
        {
            _meter.Dispose();
        }
    }

    private static KeyValuePair<string, object?> ScopeKind(SecretScope scope) => new("rootcx.vault.scope.kind", scope.IsPlatform ? "platform" : "app");
}
