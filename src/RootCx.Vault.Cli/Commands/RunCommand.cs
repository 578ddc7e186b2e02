using System.CommandLine;
using System.ComponentModel;
using System.Diagnostics;
using Microsoft.Extensions.Primitives;
using RootCx.Vault.Cli.Hosting;
using RootCx.Vault.Cli.Processes;

namespace RootCx.Vault.Cli.Commands;

/// <summary>
/// <c>run --app APP [--include-platform] [--watch] -- COMMAND ARGS…</c>: starts the command with the app's secrets as
/// environment variables, under the runtime's injection rules, and exits with its exit code.
/// </summary>
internal static class RunCommand
{
    // How long a child asked to stop for a restart may take before it is killed.
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(10);

    // The tool's own settings open every scope: the child gets only its secrets, never the key or the store.
    private static readonly string[] WithheldVariables = [RootCxVaultOptions.MasterKeyEnvironmentVariable, StoreLocation.EnvironmentVariable];

    public static Command Create()
    {
        var command = new Command(
            "run",
            "Starts COMMAND with the app's secrets as environment variables. Runtime-owned variables (PATH, HOME, LD_PRELOAD, "
            + $"ROOTCX_*, …) are never overridden by a secret, and {string.Join(" and ", WithheldVariables)} are not passed on. "
            + "SIGINT and SIGTERM are forwarded to the command; the tool exits with its exit code (127 when it cannot start).");
        var app = new Option<string>("--app") { Description = "The app whose secrets to inject.", Required = true };
        var includePlatform = new Option<bool>("--include-platform") { Description = "Also injects every platform secret (an app secret of the same name wins)." };
        var watch = new Option<bool>("--watch") { Description = "Restarts the command (SIGTERM, then a fresh start) when those secrets change." };
        var commandLine = new Argument<string[]>("COMMAND") { Description = "The command and its arguments, after --.", Arity = ArgumentArity.OneOrMore };
        command.Options.Add(app);
        command.Options.Add(includePlatform);
        command.Options.Add(watch);
        command.Arguments.Add(commandLine);
        CommandAction.Set(command, async (parse, cancellationToken) =>
        {
            string appId = parse.GetRequiredValue(app);
            SecretScope scope = SecretScope.ForApp(appId);
            bool platform = parse.GetValue(includePlatform);
            await using VaultSession session = VaultSession.Open(VaultSettings.Read(parse), injection: o => o.IncludePlatformSecrets = platform);
            await session.RequireSetUpAsync(cancellationToken).ConfigureAwait(false);
            SecretScope[] watched = !parse.GetValue(watch) ? [] : platform ? [scope, SecretScope.Platform] : [scope];
            return await RunAsync(session, appId, watched, parse.GetRequiredValue(commandLine), cancellationToken).ConfigureAwait(false);
        });
        return command;
    }

    private static async Task<int> RunAsync(VaultSession session, string appId, SecretScope[] watched, string[] commandLine, CancellationToken cancellationToken)
    {
        using var signals = new ChildSignals();
        while (true)
        {
            // Watch before reading, so a change made while the child starts still restarts it.
            var changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            IDisposable[] callbacks = [.. watched.Select(s => session.Changes.GetChangeToken(s).RegisterChangeCallback(_ => changed.TrySetResult(), null))];
            try
            {
                using Process child = await StartAsync(session, appId, commandLine, cancellationToken).ConfigureAwait(false);
                signals.Attach(child);
                Task exited = child.WaitForExitAsync(CancellationToken.None);
                if (await Task.WhenAny(exited, changed.Task).ConfigureAwait(false) == exited || signals.Received.IsCancellationRequested)
                {
                    await exited.ConfigureAwait(false);
                    return child.ExitCode;
                }

                await StopAsync(child, exited).ConfigureAwait(false);
                if (signals.Received.IsCancellationRequested)
                {
                    return child.ExitCode;
                }

                await System.Console.Error.WriteLineAsync($"rootcx-vault: the secrets of {appId} changed; restarting {commandLine[0]}").ConfigureAwait(false);
            }
            finally
            {
                Array.ForEach(callbacks, c => c.Dispose());
            }
        }
    }

    private static async Task<Process> StartAsync(VaultSession session, string appId, string[] commandLine, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(commandLine[0]) { UseShellExecute = false };
        foreach (string argument in commandLine.Skip(1))
        {
            start.ArgumentList.Add(argument);
        }

        foreach (string withheld in WithheldVariables)
        {
            start.Environment.Remove(withheld);
        }

        using SecretEnvironment environment = await session.Injector.BuildEnvironmentAsync(appId, cancellationToken).ConfigureAwait(false);
        foreach (string conflict in environment.Conflicts)
        {
            await System.Console.Error.WriteLineAsync($"rootcx-vault: warning: secret {conflict} is not injected: {conflict} is a runtime-owned variable").ConfigureAwait(false);
        }

        try
        {
            return environment.StartProcess(start);
        }
        catch (Win32Exception ex)
        {
            throw new ChildStartException($"Could not start '{commandLine[0]}': {ex.Message}");
        }
    }

    private static async Task StopAsync(Process child, Task exited)
    {
        ChildSignals.Terminate(child);
        if (await Task.WhenAny(exited, Task.Delay(StopTimeout)).ConfigureAwait(false) != exited)
        {
            child.Kill(entireProcessTree: true);
        }

        await exited.ConfigureAwait(false);
    }
}
