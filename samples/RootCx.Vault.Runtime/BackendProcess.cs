using System.Collections.Concurrent;
using System.Diagnostics;

namespace RootCx.Vault.Runtime;

/// <summary>One running backend: a child process with its app's secrets in its environment.</summary>
public sealed class BackendProcess : IAsyncDisposable
{
    private readonly Process _process;

    private BackendProcess(string appId, Process process, IReadOnlyList<string> injectedNames)
    {
        AppId = appId;
        InjectedNames = injectedNames;
        _process = process;
        ProcessId = process.Id;
        _process.OutputDataReceived += (_, line) =>
        {
            if (line.Data is not null)
            {
                Output.Enqueue(line.Data);
            }
        };
        _process.BeginOutputReadLine();
    }

    public string AppId { get; }

    /// <summary>Gets the names of the secret variables the backend was started with.</summary>
    public IReadOnlyList<string> InjectedNames { get; }

    /// <summary>Gets the process id, kept after the process is gone.</summary>
    public int ProcessId { get; }

    /// <summary>
    /// Gets what the backend printed. Kept in memory, never logged: a real backend may print anything, values included.
    /// </summary>
    public ConcurrentQueue<string> Output { get; } = new();

    /// <summary>Gets how the backend last stopped, once it has.</summary>
    public StopOutcome? Stopped { get; private set; }

    /// <summary>Starts the backend with the app's secrets injected; the plaintext is cleared once the process has it.</summary>
    public static async Task<BackendProcess> StartAsync(string appId, RuntimeOptions options, ISecretInjector injector, CancellationToken cancellationToken)
    {
        bool isDll = options.WorkerPath.EndsWith(".dll", StringComparison.OrdinalIgnoreCase);
        var start = new ProcessStartInfo(isDll ? "dotnet" : options.WorkerPath)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        if (isDll)
        {
            start.ArgumentList.Add(options.WorkerPath);
        }

        start.Environment["ROOTCX_APP_ID"] = appId;
        using (SecretEnvironment secrets = await injector.BuildEnvironmentAsync(appId, cancellationToken))
        {
            return new BackendProcess(appId, secrets.StartProcess(start), secrets.Names);
        }
    }

    /// <summary>Asks the backend to stop (closes its stdin), waits up to the timeout, then kills it.</summary>
    public async Task<StopOutcome> StopAsync(TimeSpan timeout)
    {
        if (Stopped is { } done)
        {
            return done;
        }

        _process.StandardInput.Close();
        using var graceful = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(graceful.Token);
            Stopped = StopOutcome.Graceful;
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
            Stopped = StopOutcome.Killed;
        }

        return Stopped.Value;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(TimeSpan.FromSeconds(5));
        _process.Dispose();
    }
}

/// <summary>How a backend stopped.</summary>
public enum StopOutcome
{
    /// <summary>It exited by itself after its stdin closed.</summary>
    Graceful,

    /// <summary>It did not exit in time and was killed.</summary>
    Killed,
}
