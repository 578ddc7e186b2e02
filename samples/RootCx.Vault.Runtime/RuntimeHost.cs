namespace RootCx.Vault.Runtime;

/// <summary>Builds the runtime host; Program runs it, tests start it with their own settings.</summary>
public static class RuntimeHost
{
    public static HostApplicationBuilder CreateBuilder(string[] args)
    {
        HostApplicationBuilder builder = Host.CreateApplicationBuilder(args);
        string dataPath = Path.GetFullPath(builder.Configuration["Vault:DataPath"] ?? "data", builder.Environment.ContentRootPath);
        builder.Services.AddRootCxVault(o => o.KeyFilePath = Path.Combine(dataPath, "config", "master.key"))
            .PersistTo(builder.Configuration, dataPath);
        builder.Services.Configure<RuntimeOptions>(builder.Configuration.GetSection("Runtime"));
        builder.Services.AddSingleton<WorkerSupervisor>();
        builder.Services.AddHostedService(services => services.GetRequiredService<WorkerSupervisor>());
        return builder;
    }
}
