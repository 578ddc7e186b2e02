using BenchmarkDotNet.Attributes;
using RootCx.Vault.Cryptography;
using RootCx.Vault.FileSystem;
using RootCx.Vault.Storage;

namespace RootCx.Vault.Benchmarks;

/// <summary>
/// A host's start-up, and listing and reading one app of 100 secrets, in a store that holds only that app and in one
/// that holds 100,000 secrets over 1,000 apps: the cost follows the app, not the store.
/// </summary>
[BenchmarkCategory("FileSystemScale")]
public class FileSystemScaleBenchmarks
{
    private const int SecretsPerApp = 100;
    private static readonly SecretScope App = SecretScope.ForApp("app-0007");
    private static readonly SecretScope NoApp = SecretScope.ForApp("no-such-app");

    private BenchmarkVault _vault = null!;
    private string _root = null!;

    [Params(1, 1000)]
    public int Apps { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        // Seeded once per machine and reused: 100,000 durable writes would take minutes and measure nothing here.
        _root = Path.Combine(Path.GetTempPath(), $"rootcx-bench-scale-{Apps}x{SecretsPerApp}");
        if (!File.Exists(Path.Combine(_root, "seeded-v2")))
        {
            Seed(_root);
        }

        // The first start builds the key record from the seeded envelopes, once; the start-ups measured read it.
        _vault = new BenchmarkVault(_root);
        _vault.Vault.ListAsync(NoApp).AsTask().GetAwaiter().GetResult();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _vault.Dispose();
    }

    [Benchmark]
    public ValueTask<IReadOnlyList<SecretMetadata>> ListOneApp() => _vault.Vault.ListAsync(App);

    [Benchmark]
    public async Task<int> ReadOneApp()
    {
        using SecretBundle bundle = await _vault.Reader.GetAllAsync(App);
        return bundle.Count;
    }

    /// <summary>A host's start-up: open the store, load the key ring, check it against the store's key record.</summary>
    [Benchmark]
    public async Task<int> StartUp()
    {
        using var vault = new BenchmarkVault(_root);
        return (await vault.Vault.ListAsync(NoApp)).Count;
    }

    /// <summary>Writes the documented layout (docs/FORMAT.md) directly, without fsync, as an import tool would.</summary>
    private void Seed(string root)
    {
        if (Directory.Exists(root))
        {
            Directory.Delete(root, recursive: true);
        }

        using (new FileSystemSecretStore(root))
        {
        }

        using var ring = new MasterKeyRing(MasterKey.FromHex(BenchmarkVault.MasterKey, "benchmark"));
        byte[] value = "a-typical-secret-value-of-some-forty-chars"u8.ToArray();
        DateTimeOffset now = DateTimeOffset.UtcNow;
        // The small store holds just the app measured; the large one, that app among 999 others.
        IEnumerable<SecretScope> scopes = Apps == 1 ? [App] : Enumerable.Range(0, Apps).Select(a => SecretScope.ForApp($"app-{a:D4}"));
        foreach (SecretScope scope in scopes)
        {
            string folder = Path.Combine(root, "scopes", scope.Namespace);
            Directory.CreateDirectory(folder);
            for (int i = 0; i < SecretsPerApp; i++)
            {
                var name = SecretName.Parse($"SECRET_{i}");
                var secret = new StoredSecret(scope, name, SecretEnvelope.Seal(ring.Active, scope, name, value), ring.Active.Id, now, now, 1);
                File.WriteAllBytes(Path.Combine(folder, $"SECRET_{i}.secret"), SecretFile.Encode(secret));
            }
        }

        File.WriteAllText(Path.Combine(root, "seeded-v2"), "seeded");
    }
}
