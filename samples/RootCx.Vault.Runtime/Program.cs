using RootCx.Vault.Runtime;

// Runs one backend per app listed in Runtime:Apps, on the store under Vault:DataPath. Point Vault:DataPath at the
// sample host's data folder to see secrets set in the panel reach the backends.
RuntimeHost.CreateBuilder(args).Build().Run();
