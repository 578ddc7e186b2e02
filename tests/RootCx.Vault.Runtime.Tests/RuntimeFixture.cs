using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using RootCx.Vault.Testing;

namespace RootCx.Vault.Runtime.Tests;

/// <summary>The runtime sample on a temporary store, with real backend processes.</summary>
internal sealed class RuntimeFixture : IAsyncDisposable
{
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private readonly IHost _host;

    public RuntimeFixture(string[] apps, TimeSpan? stopTimeout = null)
    {
        string[] args = [$"--Vault:DataPath={DataPath}", $"--Runtime:StopTimeout={stopTimeout ?? TimeSpan.FromSeconds(5)}", .. apps.Select((app, i) => $"--Runtime:Apps:{i}={app}")];
        HostApplicationBuilder builder = RuntimeHost.CreateBuilder(args);
        builder.Logging.ClearProviders();
        builder.Services.PostConfigure<RootCxVaultOptions>(o =>
        {
            // The same key as the store worker process, which writes as "another process".
            o.MasterKey = TestKeys.Primary;
            o.ChangePollInterval = TimeSpan.FromMilliseconds(200);
        });
        _host = builder.Build();
    }

    public string DataPath { get; } = Directory.CreateTempSubdirectory("rootcx-runtime-").FullName;

    public ISecretVault Vault => _host.Services.GetRequiredService<ISecretVault>();

    public ISecretChangeFeed Changes => _host.Services.GetRequiredService<ISecretChangeFeed>();

    public WorkerSupervisor Supervisor => _host.Services.GetRequiredService<WorkerSupervisor>();

    public Task StartAsync() => _host.StartAsync();

    /// <summary>Waits for the backend's report of the variable names it received.</summary>
    public static async Task<string[]> ReceivedNamesAsync(BackendProcess backend)
    {
        string report = await EventuallyAsync(() => backend.Output.FirstOrDefault(l => l.Contains(" received: ", StringComparison.Ordinal)));
        return report[(report.IndexOf(": ", StringComparison.Ordinal) + 2)..].Split(',');
    }

    public static async Task<T> EventuallyAsync<T>(Func<T?> probe)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < Patience)
        {
            if (probe() is { } value && !Equals(value, false))
            {
                return value;
            }

            await Task.Delay(20);
        }

        throw new TimeoutException("The condition did not hold in time.");
    }

    /// <summary>Writes a secret from a separate process sharing the store.</summary>
    public async Task SetFromAnotherProcessAsync(string @namespace, string prefix)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardError = true, Environment = { ["ROOTCX_MASTER_KEY"] = TestKeys.Primary } };
        foreach (string arg in new[] { Path.Combine(AppContext.BaseDirectory, "RootCx.Vault.StoreWorker.dll"), "set-many", Path.Combine(DataPath, "secrets"), @namespace, prefix, "1", "upper" })
        {
            start.ArgumentList.Add(arg);
        }

        using Process process = Process.Start(start)!;
        string errors = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.That(process.ExitCode, Is.Zero, errors);
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
        Directory.Delete(DataPath, recursive: true);
    }
}
