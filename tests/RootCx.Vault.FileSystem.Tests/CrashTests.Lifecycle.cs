using System.Globalization;
using RootCx.Vault.Storage;
using RootCx.Vault.StoreWorker;

namespace RootCx.Vault.FileSystem.Tests;

/// <summary>
/// Writers that set (keeping history), delete, recover and purge, killed the same way. After each kill every name holds
/// exactly what its writer's acknowledged steps left, or for the one step each writer had in flight, what that step
/// leaves; and the next set of every name takes the version after the last one it had, so none repeats.
/// </summary>
public partial class CrashTests
{
    /// <param name="writers">One writer, or five at once, whose writes are committed in groups.</param>
    [TestCase(1)]
    [TestCase(5)]
    public async Task Writers_killed_mid_lifecycle_leave_each_name_as_acknowledged_or_one_step_further(int writers)
    {
        using var folder = new TemporaryStoreFolder();
        var random = new Random(20261202 + writers);
        Dictionary<string, LifecycleModel> model = Enumerable.Range(0, LifecycleScript.Names).ToDictionary(k => $"K_{k}", _ => LifecycleModel.Empty);

        for (int round = 0; round < Rounds; round++)
        {
            Dictionary<int, long> acknowledged = await RunLifecycleAndKillAsync(folder.Path, round, writers, TimeSpan.FromMilliseconds(random.Next(0, 300)));
            (Dictionary<string, LifecycleModel> landed, Dictionary<string, LifecycleModel> inFlight) = Replay(model, round, writers, acknowledged);


            using var store = new FileSystemSecretStore(folder.Path);
            await using var vault = new VaultOnFolder(folder.Path);
            foreach (string name in model.Keys)
            {
                string seen = await ObserveAsync(store, vault, name);
                LifecycleModel? match = new[] { landed[name], inFlight.GetValueOrDefault(name) }.FirstOrDefault(m => m?.Describe() == seen);
                Assert.That(match, Is.Not.Null, $"round {round}, {name}: holds {seen}; acknowledged {landed[name].Describe()}, in flight {inFlight.GetValueOrDefault(name)?.Describe() ?? "nothing"}");
                model[name] = match!;
            }

            foreach (string name in model.Keys)
            {
                var probe = new LifecycleStep(-1, name, LifecycleOperation.Set, $"probe-{round}");
                SecretMetadata written = await vault.Vault.SetAsync(Shop, name, probe.Value);
                model[name] = model[name].Apply(probe);
                Assert.That(written.Version, Is.EqualTo(model[name].Version), $"round {round}, {name}: versions never repeat");
            }

            Assert.That(Directory.EnumerateFiles(Path.Combine(folder.Path, "tmp")), Is.Empty, "stray temporary files are removed at the first write");
        }
    }

    /// <summary>The state each name reached with its writer's acknowledged steps, and with the step in flight after them.</summary>
    private static (Dictionary<string, LifecycleModel> Landed, Dictionary<string, LifecycleModel> InFlight) Replay(
        Dictionary<string, LifecycleModel> before, int round, int writers, Dictionary<int, long> acknowledged)
    {
        var landed = new Dictionary<string, LifecycleModel>(before);
        var inFlight = new Dictionary<string, LifecycleModel>();
        for (int writer = 0; writer < writers; writer++)
        {
            long last = acknowledged.GetValueOrDefault(writer, -1);
            foreach (LifecycleStep step in LifecycleScript.Steps(round, writer, writers).Take((int)last + 2))
            {
                if (step.Number <= last)
                {
                    landed[step.Name] = landed[step.Name].Apply(step);
                }
                else
                {
                    inFlight[step.Name] = landed[step.Name].Apply(step);
                }
            }
        }

        return (landed, inFlight);
    }

    private static async Task<string> ObserveAsync(FileSystemSecretStore store, VaultOnFolder vault, string name)
    {
        SecretName secretName = SecretName.Parse(name);
        long[] history = [.. (await store.GetHistoryAsync(Shop, secretName)).Select(v => v.Version)];
        if (await store.GetAsync(Shop, secretName) is { } live)
        {
            using SecretValue? value = await vault.Reader.GetAsync(Shop, name);
            return LifecycleModel.Describe("live", live.Version, value?.RevealString(), history);
        }

        DeletedSecret? deleted = (await store.ListDeletedAsync(Shop).ToArrayAsync()).SingleOrDefault(d => d.Secret.Name.Equals(secretName));
        return LifecycleModel.Describe(deleted is null ? null : "deleted", deleted?.Secret.Version ?? 0, null, history);
    }

    /// <summary>Starts the lifecycle worker, kills it <paramref name="delay"/> after its first acknowledged step, returns the last step each writer acknowledged.</summary>
    private static async Task<Dictionary<int, long>> RunLifecycleAndKillAsync(string root, int round, int writers, TimeSpan delay)
    {
        using var worker = StoreWorkerProcess.Start("lifecycle", root, "shop", round.ToString(CultureInfo.InvariantCulture), writers.ToString(CultureInfo.InvariantCulture));
        Task<string> errors = worker.StandardError.ReadToEndAsync();
        if (await worker.StandardOutput.ReadLineAsync() != "ready")
        {
            Assert.Fail($"The worker did not start: {await errors}");
        }

        // Counted from the first step, so that the kill lands among steps rather than in the process's start-up.
        string first = await worker.StandardOutput.ReadLineAsync() ?? string.Empty;
        Task<string> rest = worker.StandardOutput.ReadToEndAsync();
        await Task.Delay(delay);
        worker.Kill();
        await worker.WaitForExitAsync();

        // Only whole lines: a line cut off by the kill acknowledges nothing.
        string output = first + "\n" + await rest;
        var acknowledged = new Dictionary<int, long>();
        foreach (string line in output[..(output.LastIndexOf('\n') + 1)].Split('\n'))
        {
            string[] parts = line.Split(' ');
            if (parts is ["ack", string writer, string step])
            {
                acknowledged[int.Parse(writer, CultureInfo.InvariantCulture)] = long.Parse(step, CultureInfo.InvariantCulture);
            }
        }

        return acknowledged;
    }
}
