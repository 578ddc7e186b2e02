using BenchmarkDotNet.Running;
using RootCx.Vault.Benchmarks;

// dotnet run -c Release --project benchmarks/RootCx.Vault.Benchmarks -- --filter '*'
// dotnet run -c Release --project benchmarks/RootCx.Vault.Benchmarks -- propagation   (two processes; see ChangePropagation)
// dotnet run -c Release --project benchmarks/RootCx.Vault.Benchmarks -- migrate       (the built tool as a process; see MigrationThroughput)
switch (args.FirstOrDefault())
{
    case "propagation":
        await ChangePropagation.MeasureAsync();
        break;
    case "migrate":
        await MigrationThroughput.MeasureAsync(args[1..]);
        break;
    case "migrate-source":
        await MigrationThroughput.CreateSourceAsync(args[1], int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture));
        break;
    case "propagation-writer":
        await ChangePropagation.WriteAsync(args[1..]);
        break;
    default:
        BenchmarkSwitcher.FromAssembly(typeof(ShortRunConfig).Assembly).Run(args, new ShortRunConfig());
        break;
}
