using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;
using RootCx.Vault.Testing;

namespace RootCx.Vault.Tests;

/// <summary>A vault over an in-memory store with a fake clock and captured logs.</summary>
internal sealed class VaultHarness : IAsyncDisposable
{
    private readonly ServiceProvider _provider;

    public VaultHarness(string masterKey = TestKeys.Primary, InMemorySecretStore? store = null, Action<SecretInjectionOptions>? injection = null, params string[] previousKeys)
        : this(masterKey, store, injection, options: null, moreServices: null, previousKeys)
    {
    }

    /// <summary>A vault configured further: its <paramref name="options"/>, and services registered after the vault's (an audit log, an actor).</summary>
    public VaultHarness(Action<RootCxVaultOptions>? options, Action<IServiceCollection>? services = null, InMemorySecretStore? store = null, params string[] previousKeys)
        : this(TestKeys.Primary, store, injection: null, options, services, previousKeys)
    {
    }

    private VaultHarness(string masterKey, InMemorySecretStore? store, Action<SecretInjectionOptions>? injection, Action<RootCxVaultOptions>? options, Action<IServiceCollection>? moreServices, string[] previousKeys)
    {
        Store = store ?? new InMemorySecretStore();
        var services = new ServiceCollection();
        services.AddFakeLogging(o => o.OutputSink = null).AddLogging(b => b.SetMinimumLevel(LogLevel.Trace));
        services.AddSingleton<TimeProvider>(Clock);
        services.AddMetrics();
        services.AddSingleton<ISecretAuditSink>(Audit);
        services.AddHealthChecks().AddRootCxVault();
        services.AddRootCxVault(o =>
        {
            o.MasterKey = masterKey;
            o.ReadMasterKeyFromEnvironment = false;
            Array.ForEach(previousKeys, o.PreviousMasterKeys.Add);
            options?.Invoke(o);
        }).UseStore(_ => Store).ConfigureInjection(injection ?? (_ => { }));
        moreServices?.Invoke(services);

        _provider = services.BuildServiceProvider(validateScopes: true);
        Vault = _provider.GetRequiredService<ISecretVault>();
        Reader = _provider.GetRequiredService<ISecretReader>();
        Changes = _provider.GetRequiredService<ISecretChangeFeed>();
    }

    public ISecretChangeFeed Changes { get; }

    public IMeterFactory MeterFactory => _provider.GetRequiredService<IMeterFactory>();

    public HealthCheckService Health => _provider.GetRequiredService<HealthCheckService>();

    public ISecretInjector Injector => _provider.GetRequiredService<ISecretInjector>();

    public IntegrationConfigResolver Integrations => _provider.GetRequiredService<IntegrationConfigResolver>();

    public IServiceProvider Services => _provider;

    public InMemorySecretStore Store { get; }

    /// <summary>Every audit event the vault emitted.</summary>
    public RecordingAuditSink Audit { get; } = new();

    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 11, 29, 12, 0, 0, TimeSpan.Zero));

    public ISecretVault Vault { get; }

    public ISecretReader Reader { get; }

    public FakeLogCollector Logs => _provider.GetFakeLogCollector();

    /// <summary>Every log message and exception text captured, to scan for leaked values.</summary>
    public string AllLogText => string.Join('\n', Logs.GetSnapshot().Select(r => $"{r.Message} {r.Exception}"));

    public ValueTask DisposeAsync() => _provider.DisposeAsync();
}
