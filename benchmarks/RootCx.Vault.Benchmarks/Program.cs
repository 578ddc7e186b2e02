using BenchmarkDotNet.Running;
using RootCx.Vault.Benchmarks;

// dotnet run -c Release --project benchmarks/RootCx.Vault.Benchmarks -- --filter '*'
BenchmarkSwitcher.FromAssembly(typeof(ShortRunConfig).Assembly).Run(args, new ShortRunConfig());
