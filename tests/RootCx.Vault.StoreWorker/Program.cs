// Usage (master key from ROOTCX_MASTER_KEY; <appId> may be _platform for the platform scope):
//   set-many <root> <appId> <prefix> <count> <upper|lower>   sets <prefix>_<i> = "<prefix>-<i>", names in the given case
//   hammer <root> <appId> <name> <count>                      sets one name <count> times
//   churn <root> <appId>                                      sets K_0..K_9 = "<generation>" forever, printing "ack K_i g"
//   churn-parallel <root> <appId>                             the same, K_i set by writer i % 5, five writers at once
//   lifecycle <root> <appId> <seed> <writers>                 runs LifecycleScript's steps (set, delete, recover, purge) with
//                                                             that many writers at once, printing "ack <writer> <step>"
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using RootCx.Vault;
using RootCx.Vault.StoreWorker;

var services = new ServiceCollection().AddLogging();
services.AddRootCxVault().PersistToFileSystem(args[1]);
await using ServiceProvider provider = services.BuildServiceProvider();
var vault = provider.GetRequiredService<ISecretVault>();
SecretScope app = SecretScope.FromNamespace(args[2]);

switch (args[0])
{
    case "set-many":
        for (int i = 0; i < int.Parse(args[4], CultureInfo.InvariantCulture); i++)
        {
            string name = $"{args[3]}_{i}";
            await vault.SetAsync(app, args[5] == "upper" ? name.ToUpperInvariant() : name.ToLowerInvariant(), $"{args[3]}-{i}");
        }

        break;
    case "hammer":
        for (int i = 0; i < int.Parse(args[4], CultureInfo.InvariantCulture); i++)
        {
            await vault.SetAsync(app, args[3], $"hammer-{i}");
        }

        break;
    case "churn":
        Console.WriteLine("ready");
        for (long generation = 1; ; generation++)
        {
            for (int k = 0; k < 10; k++)
            {
                await vault.SetAsync(app, $"K_{k}", generation.ToString(CultureInfo.InvariantCulture));
                Console.WriteLine($"ack K_{k} {generation}");
            }
        }

    case "churn-parallel":
        Console.WriteLine("ready");
        object output = new();
        await Task.WhenAll(Enumerable.Range(0, 5).Select(writer => Task.Run(async () =>
        {
            for (long generation = 1; ; generation++)
            {
                foreach (int k in new[] { writer, writer + 5 })
                {
                    await vault.SetAsync(app, $"K_{k}", generation.ToString(CultureInfo.InvariantCulture));
                    lock (output)
                    {
                        Console.WriteLine($"ack K_{k} {generation}");
                    }
                }
            }
        })));
        break;
    case "lifecycle":
        // The key check (and, in a new store, its set-up) before "ready", so a kill lands among the steps.
        await vault.ListAsync(app);
        Console.WriteLine("ready");
        object acks = new();
        int writers = int.Parse(args[4], CultureInfo.InvariantCulture);
        await Task.WhenAll(Enumerable.Range(0, writers).Select(writer => Task.Run(async () =>
        {
            foreach (LifecycleStep step in LifecycleScript.Steps(int.Parse(args[3], CultureInfo.InvariantCulture), writer, writers))
            {
                switch (step.Operation)
                {
                    case LifecycleOperation.Set:
                        await vault.SetAsync(app, step.Name, step.Value);
                        break;
                    case LifecycleOperation.Delete:
                        await vault.DeleteAsync(app, step.Name);
                        break;
                    case LifecycleOperation.Recover:
                        await vault.RecoverAsync(app, step.Name);
                        break;
                    default:
                        await vault.PurgeAsync(app, step.Name);
                        break;
                }

                lock (acks)
                {
                    Console.WriteLine($"ack {writer} {step.Number}");
                }
            }
        })));
        break;
    default:
        throw new ArgumentException($"Unknown command {args[0]}.");
}
