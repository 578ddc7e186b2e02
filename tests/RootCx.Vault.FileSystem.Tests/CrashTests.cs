using System.Globalization;

namespace RootCx.Vault.FileSystem.Tests;

/// <summary>A real writer process killed with SIGKILL at random points, over and over.</summary>
public partial class CrashTests
{
    private const int Rounds = 12;
    private static readonly SecretScope Shop = SecretScope.ForApp("shop");

    /// <param name="mode">One writer, or five at once, whose writes are committed in groups.</param>
    [TestCase("churn")]
    [TestCase("churn-parallel")]
    public async Task A_writer_killed_mid_write_leaves_every_secret_at_its_old_or_new_value(string mode)
    {
        using var folder = new TemporaryStoreFolder();
        var random = new Random(20261129);

        for (int round = 0; round < Rounds; round++)
        {
            Dictionary<string, long> acknowledged = await RunAndKillAsync(folder.Path, mode, TimeSpan.FromMilliseconds(random.Next(0, 250)));

            await using var vault = new VaultOnFolder(folder.Path);
            Dictionary<string, string> values = await vault.ReadAllAsync(Shop);
            await vault.Vault.SetAsync(Shop, "PROBE", "x");
            Assert.That(Directory.EnumerateFiles(Path.Combine(folder.Path, "tmp")), Is.Empty, "stray temporary files are removed at the first write");
            foreach ((string name, long generation) in acknowledged)
            {
                long stored = long.Parse(values[name], CultureInfo.InvariantCulture);
                Assert.That(stored, Is.InRange(generation, generation + 1), $"round {round}, {name}: acknowledged {generation}");
            }
        }
    }

    /// <summary>Starts the churn worker, kills it after <paramref name="delay"/>, returns the last generation acknowledged per name.</summary>
    private static async Task<Dictionary<string, long>> RunAndKillAsync(string root, string mode, TimeSpan delay)
    {
        using var worker = StoreWorkerProcess.Start(mode, root, "shop");
        Task<string> errors = worker.StandardError.ReadToEndAsync();
        if (await worker.StandardOutput.ReadLineAsync() != "ready")
        {
            Assert.Fail($"The worker did not start: {await errors}");
        }

        Task<string> rest = worker.StandardOutput.ReadToEndAsync();

        await Task.Delay(delay);
        worker.Kill();
        await worker.WaitForExitAsync();

        var acknowledged = new Dictionary<string, long>();
        foreach (string line in (await rest).Split('\n'))
        {
            string[] parts = line.Split(' ');
            if (parts.Length == 3 && parts[0] == "ack" && long.TryParse(parts[2], CultureInfo.InvariantCulture, out long generation))
            {
                acknowledged[parts[1]] = generation;
            }
        }

        return acknowledged;
    }
}
