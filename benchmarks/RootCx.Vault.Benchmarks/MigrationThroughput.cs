using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using Npgsql;
using RootCx.Vault.FileSystem;
using RootCx.Vault.Storage;

namespace RootCx.Vault.Benchmarks;

/// <summary>
/// <c>rootcx-vault migrate</c> from the file store to PostgreSQL, as an operator runs it: the built tool started as a
/// process on a file store of 10,000 and of 100,000 secrets (100 per app), into a fresh database. Measures the wall
/// time of the whole command (process start, key record, copy and check of every scope) and the process's peak resident
/// set (VmHWM), which shows whether memory follows the number of secrets. One process per size, so it is
/// its own mode, not BenchmarkDotNet: <c>dotnet run -c Release --project benchmarks/RootCx.Vault.Benchmarks -- migrate</c>.
/// </summary>
internal static class MigrationThroughput
{
    private const int SecretsPerApp = 100;
    private const int EnvelopeBytes = 33 + 48;

    /// <param name="sizes">The store sizes to measure, 10,000 and 100,000 when none is given.</param>
    public static async Task MeasureAsync(string[] sizes)
    {
        string server = Environment.GetEnvironmentVariable("ROOTCX_VAULT_POSTGRESQL")
            ?? throw new InvalidOperationException("Set ROOTCX_VAULT_POSTGRESQL to a PostgreSQL connection string (see benchmarks/README.md).");
        Console.WriteLine("| secrets | apps | wall time | secrets/s | peak resident set |");
        Console.WriteLine("|---|---|---|---|---|");
        int[] counts = sizes.Length == 0 ? [10_000, 100_000] : [.. sizes.Select(s => int.Parse(s, CultureInfo.InvariantCulture))];
        foreach (int secrets in counts)
        {
            await MeasureAsync(server, secrets);
        }
    }

    private static async Task MeasureAsync(string server, int secrets)
    {
        string root = Directory.CreateTempSubdirectory("rootcx-bench-migrate-").FullName;
        string database = $"rcx_bench_migrate_{Environment.ProcessId}_{secrets}";
        try
        {
            await CreateSourceAsync(Path.Combine(root, "store"), secrets);
            await ExecuteAsync(server, $"CREATE DATABASE \"{database}\";");
            string target = new NpgsqlConnectionStringBuilder(server) { Database = database }.ConnectionString;
            (TimeSpan wall, long peakBytes) = await RunToolAsync($"file:{Path.Combine(root, "store")}", $"postgresql:{target}", secrets);
            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"| {secrets:N0} | {secrets / SecretsPerApp:N0} | {wall.TotalSeconds:F1} s | {secrets / wall.TotalSeconds:N0} | {peakBytes / (1024.0 * 1024):F0} MiB |"));
        }
        finally
        {
            await ExecuteAsync(server, $"DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE);");
            Directory.Delete(root, recursive: true);
        }
    }

    /// <summary>
    /// A file store of <paramref name="secrets"/> envelope-shaped records (migration never opens one), written in batches;
    /// also its own mode, <c>-- migrate-source PATH COUNT</c>, for trying the tool by hand.
    /// </summary>
    public static async Task CreateSourceAsync(string path, int secrets)
    {
        var keyId = new MasterKeyId(0x6b65_7931);
        using var store = new FileSystemSecretStore(path);
        await store.AddKeyIdAsync(keyId, admittedBy: null);
        DateTimeOffset now = DateTimeOffset.UtcNow;
        for (int app = 0; app < secrets / SecretsPerApp; app++)
        {
            SecretScope scope = SecretScope.ForApp($"app-{app:D5}");
            StoredSecret[] batch = [.. Enumerable.Range(0, SecretsPerApp).Select(i => new StoredSecret(scope, SecretName.Parse($"SECRET_{i}"), Envelope(keyId), keyId, now, now, 1))];
            await store.ImportAsync(batch);
        }
    }

    private static byte[] Envelope(MasterKeyId keyId)
    {
        byte[] envelope = new byte[EnvelopeBytes];
        envelope[0] = 1;
        BinaryPrimitives.WriteUInt32BigEndian(envelope.AsSpan(1), keyId.Value);
        RandomNumberGenerator.Fill(envelope.AsSpan(5));
        return envelope;
    }

    private static async Task<(TimeSpan Wall, long PeakBytes)> RunToolAsync(string source, string target, int secrets)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "RootCx.Vault.Cli.dll"));
        foreach (string arg in new[] { "migrate", "--store", source, "--to", target })
        {
            start.ArgumentList.Add(arg);
        }

        long started = Stopwatch.GetTimestamp();
        using Process tool = Process.Start(start)!;
        Task<string> output = tool.StandardOutput.ReadToEndAsync();
        Task<string> errors = tool.StandardError.ReadToEndAsync();

        // VmHWM is the high-water mark of the resident set, so the last reading before exit is the peak.
        long peak = 0;
        while (!tool.HasExited)
        {
            peak = Math.Max(peak, ReadHighWaterMark(tool.Id));
            await Task.Delay(20);
        }

        TimeSpan wall = Stopwatch.GetElapsedTime(started);
        string summary = await output;
        if (tool.ExitCode != 0 || !summary.Contains($"{secrets} copied", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"migrate failed (exit {tool.ExitCode}): {summary} {await errors}");
        }

        return (wall, peak);
    }

    private static long ReadHighWaterMark(int pid)
    {
        try
        {
            string? line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
            return line is null ? 0 : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
        }
        catch (IOException)
        {
            return 0; // the process has just exited
        }
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
