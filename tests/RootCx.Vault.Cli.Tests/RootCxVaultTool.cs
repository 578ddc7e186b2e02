using System.Collections.Concurrent;
using System.Diagnostics;

namespace RootCx.Vault.Cli.Tests;

/// <summary>
/// Starts the built tool as a real process (<c>dotnet RootCx.Vault.Cli.dll</c>) in a working folder, with an
/// environment of the test's choosing, and keeps everything every run wrote so a test can check none of it leaks a value.
/// </summary>
internal sealed class RootCxVaultTool(string workingDirectory)
{
    private static readonly string ToolPath = Path.Combine(AppContext.BaseDirectory, "RootCx.Vault.Cli.dll");

    /// <summary>Gets the variables set for the tool; the test process's own ROOTCX_* settings never reach it.</summary>
    public Dictionary<string, string> Environment { get; } = [];

    /// <summary>Gets everything every run wrote, stdout and stderr, for the leak checks.</summary>
    public ConcurrentQueue<string> Transcript { get; } = new();

    public string WorkingDirectory { get; } = workingDirectory;

    /// <summary>Runs the tool with <paramref name="stdin"/> piped in, as a script would pipe a value.</summary>
    public async Task<CliResult> RunWithInputAsync(string? stdin, params string[] args)
    {
        using Process process = Start(args);
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> error = process.StandardError.ReadToEndAsync();
        if (stdin is not null)
        {
            await process.StandardInput.WriteAsync(stdin);
        }

        process.StandardInput.Close();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        await process.WaitForExitAsync(timeout.Token);
        var result = new CliResult(process.ExitCode, await output, await error);
        Record(result.Output);
        Record(result.Error);
        return result;
    }

    public Task<CliResult> RunAsync(params string[] args) => RunWithInputAsync(null, args);

    /// <summary>Starts the tool with every stream redirected; the caller reads them, and records what it read.</summary>
    public Process Start(params string[] args)
    {
        ProcessStartInfo start = CreateStartInfo("dotnet");
        start.ArgumentList.Add(ToolPath);
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        return Process.Start(start)!;
    }

    /// <summary>
    /// Starts the tool on a pseudo-terminal through util-linux <c>script</c>, as an operator at a shell would: the
    /// caller's writes to stdin are keystrokes, and stdout is everything the terminal showed.
    /// </summary>
    public Process StartInTerminal(params string[] args)
    {
        ProcessStartInfo start = CreateStartInfo("script");
        string command = string.Join(' ', new[] { "dotnet", ToolPath }.Concat(args).Select(a => $"'{a.Replace("'", "'\\''", StringComparison.Ordinal)}'"));
        foreach (string arg in new[] { "-qefc", command, "/dev/null" })
        {
            start.ArgumentList.Add(arg);
        }

        return Process.Start(start)!;
    }

    public void Record(string text) => Transcript.Enqueue(text);

    private ProcessStartInfo CreateStartInfo(string fileName)
    {
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = WorkingDirectory,
        };
        foreach (string inherited in start.Environment.Keys.Where(k => k.StartsWith("ROOTCX_", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(inherited);
        }

        foreach ((string name, string value) in Environment)
        {
            start.Environment[name] = value;
        }

        return start;
    }
}
