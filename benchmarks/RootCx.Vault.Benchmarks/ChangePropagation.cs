using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Primitives;
using RootCx.Vault.FileSystem;
using RootCx.Vault.PostgreSql;
using RootCx.Vault.Storage;

namespace RootCx.Vault.Benchmarks;

/// <summary>
/// Change propagation between two real processes: a writer process sets a secret, and the time until the change
/// token of a vault in this process fires is taken, from the moment the writer starts the set (so the durable write
/// itself is included). Both processes read the same system-wide monotonic clock (<see cref="Stopwatch"/>). Each
/// store runs as shipped (notifications, polling as the safety net) and with notifications off (polling alone, the
/// baseline), with the default options. BenchmarkDotNet measures one process; this is a distribution across two, so
/// it is its own mode: <c>dotnet run -c Release --project benchmarks/RootCx.Vault.Benchmarks -- propagation</c>.
/// </summary>
internal static class ChangePropagation
{
    private const int Samples = 200;
    private const int PollingSamples = 40;
    private static readonly SecretScope Scope = SecretScope.ForApp("propagation");

    public static async Task MeasureAsync()
    {
        Console.WriteLine("| store | path | samples | p50 | p90 | p99 | max |");
        Console.WriteLine("|---|---|---|---|---|---|---|");
        string root = Directory.CreateTempSubdirectory("rootcx-bench-propagation-").FullName;
        try
        {
            await MeasureAsync("file system", "notification", Samples, () => new FileSystemSecretStore(root), ["file", root]);
            await MeasureAsync("file system", "polling alone", PollingSamples, () => new PollingOnly(new FileSystemSecretStore(root)), ["file", root]);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }

        if (Environment.GetEnvironmentVariable("ROOTCX_VAULT_POSTGRESQL") is { Length: > 0 } connectionString)
        {
            var options = new PostgreSqlSecretStoreOptions { SchemaName = $"rcx_bench_propagation_{Environment.ProcessId}" };
            await MeasureAsync("PostgreSQL", "notification", Samples, () => new PostgreSqlSecretStore(connectionString, options, logger: null), ["postgresql", connectionString, options.SchemaName]);
            await MeasureAsync("PostgreSQL", "polling alone", PollingSamples, () => new PollingOnly(new PostgreSqlSecretStore(connectionString, options, logger: null)), ["postgresql", connectionString, options.SchemaName]);
        }
    }

    /// <summary>The writer process: sets the secret on each line of standard input, printing when it started.</summary>
    public static async Task WriteAsync(string[] store)
    {
        using var vault = new BenchmarkVault(vault => Persist(vault, store));
        await vault.Vault.ListAsync(Scope);
        Console.WriteLine("ready");
        while (Console.ReadLine() is { } line)
        {
            long started = Stopwatch.GetTimestamp();
            await vault.Vault.SetAsync(Scope, "ROTATED", line);
            Console.WriteLine(started.ToString(CultureInfo.InvariantCulture));
        }
    }

    private static async Task MeasureAsync(string storeName, string path, int samples, Func<ISecretStore> createStore, string[] writerStore)
    {
        var services = new ServiceCollection();
        services.AddRootCxVault(o =>
        {
            o.MasterKey = BenchmarkVault.MasterKey;
            o.ReadMasterKeyFromEnvironment = false;
        }).UseStore(_ => createStore());
        await using ServiceProvider watcher = services.BuildServiceProvider();
        await watcher.GetRequiredService<ISecretVault>().ListAsync(Scope);
        var feed = watcher.GetRequiredService<ISecretChangeFeed>();

        using Process writer = StartWriter(writerStore);
        if (await writer.StandardOutput.ReadLineAsync() != "ready")
        {
            throw new InvalidOperationException($"The writer did not start: {await writer.StandardError.ReadToEndAsync()}");
        }

        var latencies = new List<double>();
        for (int sample = -5; sample < samples; sample++)
        {
            var fired = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
            using IDisposable registration = feed.GetChangeToken(Scope).RegisterChangeCallback(_ => fired.TrySetResult(Stopwatch.GetTimestamp()), null);
            await writer.StandardInput.WriteLineAsync(sample.ToString(CultureInfo.InvariantCulture));
            long started = long.Parse((await writer.StandardOutput.ReadLineAsync())!, CultureInfo.InvariantCulture);
            long firedAt = await fired.Task.WaitAsync(TimeSpan.FromSeconds(30));
            if (sample >= 0)
            {
                latencies.Add(Stopwatch.GetElapsedTime(started, firedAt).TotalMilliseconds);
            }

            // Lets the coalescing window close, so each sample is one change on its own.
            await Task.Delay(50);
        }

        writer.StandardInput.Close();
        await writer.WaitForExitAsync();
        latencies.Sort();
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"| {storeName} | {path} | {samples} | {Percentile(latencies, 0.50):F1} ms | {Percentile(latencies, 0.90):F1} ms | {Percentile(latencies, 0.99):F1} ms | {latencies[^1]:F1} ms |"));
    }

    private static double Percentile(List<double> sorted, double quantile) => sorted[(int)Math.Ceiling(quantile * sorted.Count) - 1];

    private static Process StartWriter(string[] store)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(typeof(ChangePropagation).Assembly.Location);
        start.ArgumentList.Add("propagation-writer");
        store.ToList().ForEach(start.ArgumentList.Add);
        return Process.Start(start)!;
    }

    private static void Persist(IRootCxVaultBuilder vault, string[] store)
    {
        if (store[0] == "file")
        {
            vault.PersistToFileSystem(store[1]);
        }
        else
        {
            vault.PersistToPostgreSql(store[1], o => o.SchemaName = store[2]);
        }
    }

    /// <summary>A store with its notifications switched off: other processes' changes are found by polling alone.</summary>
    private sealed class PollingOnly(ISecretStore inner) : ISecretStore, IAsyncDisposable
    {
        public ValueTask<StoredSecret?> GetAsync(SecretScope scope, SecretName name, CancellationToken cancellationToken = default) => inner.GetAsync(scope, name, cancellationToken);

        public IAsyncEnumerable<StoredSecret> ListAsync(SecretScope scope, CancellationToken cancellationToken = default) => inner.ListAsync(scope, cancellationToken);

        public ValueTask<StoredSecret> SetAsync(SecretScope scope, SecretName name, ReadOnlyMemory<byte> envelope, MasterKeyId keyId, DateTimeOffset timestamp, SecretPrecondition precondition, int maxVersions, CancellationToken cancellationToken = default) =>
            inner.SetAsync(scope, name, envelope, keyId, timestamp, precondition, maxVersions, cancellationToken);

        public ValueTask<StoredSecret?> ReplaceEnvelopeAsync(SecretScope scope, SecretName name, long expectedVersion, ReadOnlyMemory<byte> envelope, MasterKeyId keyId, CancellationToken cancellationToken = default) =>
            inner.ReplaceEnvelopeAsync(scope, name, expectedVersion, envelope, keyId, cancellationToken);

        public ValueTask<int> ImportAsync(IReadOnlyList<StoredSecret> secrets, CancellationToken cancellationToken = default) => inner.ImportAsync(secrets, cancellationToken);

        public IAsyncEnumerable<SecretScope> ListScopesAsync(CancellationToken cancellationToken = default) => inner.ListScopesAsync(cancellationToken);

        public ValueTask<bool> DeleteAsync(SecretScope scope, SecretName name, DateTimeOffset timestamp, SecretPrecondition precondition, CancellationToken cancellationToken = default) =>
            inner.DeleteAsync(scope, name, timestamp, precondition, cancellationToken);

        public ValueTask<IReadOnlyList<StoredSecret>> GetHistoryAsync(SecretScope scope, SecretName name, CancellationToken cancellationToken = default) => inner.GetHistoryAsync(scope, name, cancellationToken);

        public IAsyncEnumerable<StoredSecret> ListHistoryAsync(SecretScope scope, CancellationToken cancellationToken = default) => inner.ListHistoryAsync(scope, cancellationToken);

        public ValueTask<bool> ReplaceHistoryEnvelopeAsync(SecretScope scope, SecretName name, long version, ReadOnlyMemory<byte> envelope, MasterKeyId keyId, CancellationToken cancellationToken = default) =>
            inner.ReplaceHistoryEnvelopeAsync(scope, name, version, envelope, keyId, cancellationToken);

        public IAsyncEnumerable<DeletedSecret> ListDeletedAsync(SecretScope scope, CancellationToken cancellationToken = default) => inner.ListDeletedAsync(scope, cancellationToken);

        public ValueTask<StoredSecret?> RecoverAsync(SecretScope scope, SecretName name, CancellationToken cancellationToken = default) => inner.RecoverAsync(scope, name, cancellationToken);

        public ValueTask<DeletedSecret?> PurgeAsync(SecretScope scope, SecretName name, CancellationToken cancellationToken = default) => inner.PurgeAsync(scope, name, cancellationToken);

        public ValueTask<IReadOnlyList<DeletedSecret>> PurgeDeletedAsync(DateTimeOffset deletedBefore, CancellationToken cancellationToken = default) => inner.PurgeDeletedAsync(deletedBefore, cancellationToken);

        public ValueTask<IReadOnlySet<MasterKeyId>> GetKeyIdsAsync(CancellationToken cancellationToken = default) => inner.GetKeyIdsAsync(cancellationToken);

        public ValueTask<IReadOnlySet<MasterKeyId>> AddKeyIdAsync(MasterKeyId keyId, MasterKeyId? admittedBy, CancellationToken cancellationToken = default) =>
            inner.AddKeyIdAsync(keyId, admittedBy, cancellationToken);

        public ValueTask<bool> RemoveKeyIdAsync(MasterKeyId keyId, CancellationToken cancellationToken = default) => inner.RemoveKeyIdAsync(keyId, cancellationToken);

        public ValueTask<long> GetChangeVersionAsync(CancellationToken cancellationToken = default) => inner.GetChangeVersionAsync(cancellationToken);

        public ValueTask<IReadOnlyCollection<SecretScope>> GetChangedScopesAsync(long since, long until, IReadOnlyCollection<SecretScope> scopes, CancellationToken cancellationToken = default) =>
            inner.GetChangedScopesAsync(since, until, scopes, cancellationToken);

        public IChangeToken WatchChanges() => new CancellationChangeToken(CancellationToken.None);

        public async ValueTask DisposeAsync()
        {
            if (inner is IAsyncDisposable asyncDisposable)
            {
                await asyncDisposable.DisposeAsync();
            }
            else
            {
                (inner as IDisposable)?.Dispose();
            }
        }
    }
}
