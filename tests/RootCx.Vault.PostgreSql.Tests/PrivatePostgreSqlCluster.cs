using System.Diagnostics;

namespace RootCx.Vault.PostgreSql.Tests;

/// <summary>
/// A PostgreSQL cluster of the test's own, on 127.0.0.1 and a free high port, for tests that stop and start the
/// server: the shared server (ROOTCX_VAULT_POSTGRESQL) serves other test projects meanwhile. Uses the binaries of
/// Debian's postgresql package, as .ci/postgres.sh does; the test is ignored where there are none.
/// </summary>
internal sealed class PrivatePostgreSqlCluster : IAsyncDisposable
{
    private readonly string _bin;
    private readonly string _folder;

    private PrivatePostgreSqlCluster(string bin, string folder, int port)
    {
        _bin = bin;
        _folder = folder;
        Port = port;
    }

    public int Port { get; }

    public string ConnectionString => $"Host=127.0.0.1;Port={Port};Username=postgres;Database=postgres;Timeout=5";

    private string DataFolder => Path.Combine(_folder, "data");

    public static async Task<PrivatePostgreSqlCluster> StartAsync()
    {
        string? bin = Directory.Exists("/usr/lib/postgresql")
            ? Directory.EnumerateDirectories("/usr/lib/postgresql").Select(v => Path.Combine(v, "bin")).Where(Directory.Exists).Order().LastOrDefault()
            : null;
        if (bin is null)
        {
            Assert.Ignore("No PostgreSQL server binaries under /usr/lib/postgresql (Debian's postgresql package).");
        }

        string folder = Directory.CreateTempSubdirectory("rootcx-pg-private-").FullName;
        if (Environment.UserName == "root")
        {
            await RunAsync("chown", "postgres:postgres", folder);
        }

        var cluster = new PrivatePostgreSqlCluster(bin!, folder, Random.Shared.Next(40000, 60000));
        await cluster.PgAsync("initdb", "-D", cluster.DataFolder, "--auth=trust", "-E", "UTF8", "--locale=C", "-U", "postgres");
        await cluster.StartServerAsync();
        return cluster;
    }

    public Task StartServerAsync() =>
        PgAsync("pg_ctl", "-D", DataFolder, "-l", Path.Combine(_folder, "server.log"), "-w", "-o", $"-c listen_addresses=127.0.0.1 -p {Port} -k {_folder}", "start");

    /// <summary>Stops the server as a crash would: no checkpoint, every connection cut.</summary>
    public Task StopServerImmediatelyAsync() => PgAsync("pg_ctl", "-D", DataFolder, "-m", "immediate", "-w", "stop");

    public async ValueTask DisposeAsync()
    {
        try
        {
            await PgAsync("pg_ctl", "-D", DataFolder, "-m", "fast", "-w", "stop");
        }
        catch (InvalidOperationException)
        {
            // Already stopped.
        }

        Directory.Delete(_folder, recursive: true);
    }

    private Task PgAsync(string tool, params string[] args) =>
        Environment.UserName == "root"
            ? RunAsync("runuser", ["-u", "postgres", "--", Path.Combine(_bin, tool), .. args])
            : RunAsync(Path.Combine(_bin, tool), args);

    private static async Task RunAsync(string fileName, params string[] args)
    {
        var start = new ProcessStartInfo(fileName) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        args.ToList().ForEach(start.ArgumentList.Add);
        using Process process = Process.Start(start)!;
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        string errors = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{fileName} {string.Join(' ', args)} exited with {process.ExitCode}: {errors}{await output}");
        }
    }
}
