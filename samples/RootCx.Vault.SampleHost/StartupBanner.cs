using RootCx.Vault.SampleHost.Security;

namespace RootCx.Vault.SampleHost;

/// <summary>Tells a newcomer where to point a browser and where the credential is; never prints the credential.</summary>
internal static class StartupBanner
{
    public static void Print(WebApplication app, string dataPath)
    {
        AdminApiKey key = app.Services.GetRequiredService<AdminApiKey>();
        Console.WriteLine();
        Console.WriteLine("RootCx.Vault sample host is running.");
        foreach (string url in app.Urls)
        {
            Console.WriteLine($"  Secret Vault panel: {url}/");
        }

        Console.WriteLine($"  API description:    {app.Urls.FirstOrDefault()}/openapi/v1.json (with the admin API key)");
        Console.WriteLine($"  Data folder:        {dataPath}");
        Console.WriteLine($"  Admin API key:      in {key.Source} (set Admin__ApiKey to choose your own)");
        Console.WriteLine();
    }
}
