using BenchmarkDotNet.Running;
using RootCx.Vault.Benchmarks;

// dotnet run -c Release --project benchmarks/RootCx.Vault.Benchmarks -- --filter '*'
// dotnet run -c Release --project benchmarks/RootCx.Vault.Benchmarks -- propagation   (two processes; see ChangePropagation)
switch (args.FirstOrDefault())
{
    case "propagation":
        await ChangePropagation.MeasureAsync();
        break;
    case "propagation-writer":
        await ChangePropagation.WriteAsync(args[1..]);
        break;
    default:
        BenchmarkSwitcher.FromAssembly(typeof(ShortRunConfig).Assembly).Run(args, new ShortRunConfig());
        break;
}
