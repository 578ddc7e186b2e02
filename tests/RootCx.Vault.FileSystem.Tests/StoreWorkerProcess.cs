using System.Diagnostics;
using RootCx.Vault.Testing;

namespace RootCx.Vault.FileSystem.Tests;

/// <summary>Starts RootCx.Vault.StoreWorker as a real child process on a store folder.</summary>
internal static class StoreWorkerProcess
{
    private static readonly string WorkerPath = Path.Combine(AppContext.BaseDirectory, "RootCx.Vault.StoreWorker.dll");

    public static Process Start(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            Environment = { ["ROOTCX_MASTER_KEY"] = TestKeys.Primary },
        };
        start.ArgumentList.Add(WorkerPath);
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        return Process.Start(start)!;
    }

    public static async Task RunAsync(params string[] args)
    {
        using Process process = Start(args);
        string errors = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.That(process.ExitCode, Is.Zero, errors);
    }
}
