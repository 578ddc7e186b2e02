// Usage (master key from ROOTCX_MASTER_KEY; <appId> may be _platform for the platform scope):
//   set-many <root> <appId> <prefix> <count> <upper|lower>   sets <prefix>_<i> = "<prefix>-<i>", names in the given case
//   hammer <root> <appId> <name> <count>                      sets one name <count> times
//   churn <root> <appId>                                      sets K_0..K_9 = "<generation>" forever, printing "ack K_i g"
//   churn-parallel <root> <appId>                             the same, K_i set by writer i % 5, five writers at once
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using RootCx.Vault;

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
    default:
        throw new ArgumentException($"Unknown command {args[0]}.");
}
