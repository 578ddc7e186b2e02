// An ASP.NET Core host written as a team consuming the packages would write it: AddRootCxVault, a store's verb, a few
// endpoints on ISecretVault and ISecretInjector. Run by .ci/consumer.sh against the packages in artifacts/packages: it
// starts on a free loopback port (StartAsync returns once the vault's start-up check has passed and Kestrel listens),
// drives its own endpoints over HTTP, checks the environment an app would get and the configuration provider, and
// exits 0, or 1 with one line saying which step failed. The value is never printed.
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using RootCx.Vault;

if (args is not [("file" or "postgresql") and var storeKind, var workPath])
{
    Console.Error.WriteLine("usage: RootCx.Vault.Consumer file|postgresql WORK-DIRECTORY (postgresql: ROOTCX_VAULT_POSTGRESQL)");
    return 2;
}

string? postgres = Environment.GetEnvironmentVariable("ROOTCX_VAULT_POSTGRESQL");
if (storeKind == "postgresql" && string.IsNullOrEmpty(postgres))
{
    Console.Error.WriteLine("consumer: ROOTCX_VAULT_POSTGRESQL is not set");
    return 2;
}

// A schema of its own in the shared cluster, and a key file of its own created on first boot.
string schema = "consumer_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
string keyFile = Path.Combine(workPath, "config", "master.key");

IRootCxVaultBuilder PersistTo(IRootCxVaultBuilder vault) => storeKind == "file"
    ? vault.PersistToFileSystem(Path.Combine(workPath, "secrets"))
    : vault.PersistToPostgreSql(postgres!, o => o.SchemaName = schema);

void ConfigureKey(RootCxVaultOptions options)
{
    options.KeyFilePath = keyFile;
    options.ReadMasterKeyFromEnvironment = false;
}

string step = "start";
try
{
    WebApplicationBuilder builder = WebApplication.CreateBuilder();
    builder.WebHost.UseUrls("http://127.0.0.1:0");
    builder.Logging.SetMinimumLevel(LogLevel.Error);
    PersistTo(builder.Services.AddRootCxVault(ConfigureKey));

    await using WebApplication app = builder.Build();
    RouteGroupBuilder api = app.MapGroup("/apps/{appId}").AddEndpointFilter(async (context, next) =>
    {
        try
        {
            return await next(context);
        }
        catch (SecretValidationException e)
        {
            return Results.Problem(e.Message, statusCode: StatusCodes.Status400BadRequest);
        }
    });
    api.MapPut("/secrets/{name}", async (string appId, string name, HttpRequest request, ISecretVault vault) =>
    {
        using var reader = new StreamReader(request.Body);
        SecretMetadata metadata = await vault.SetAsync(SecretScope.ForApp(appId), name, await reader.ReadToEndAsync());
        return Results.Ok(new { metadata.Name, metadata.Version });
    });
    api.MapGet("/secrets", async (string appId, ISecretVault vault) =>
        (await vault.ListAsync(SecretScope.ForApp(appId))).Select(m => m.Name));
    api.MapGet("/environment", async (string appId, ISecretInjector injector) =>
    {
        using SecretEnvironment environment = await injector.BuildEnvironmentAsync(appId);
        return environment.Names;
    });

    await app.StartAsync();
    // The server's addresses, with the port Kestrel bound.
    string address = app.Urls.First();
    using var http = new HttpClient { BaseAddress = new Uri(address) };
    string value = "consumer-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));

    step = "PUT /apps/shop/secrets/STRIPE_KEY";
    using (HttpResponseMessage put = await http.PutAsync(new Uri("/apps/shop/secrets/STRIPE_KEY", UriKind.Relative), new StringContent(value)))
    {
        Check(put.StatusCode == HttpStatusCode.OK, $"answered {(int)put.StatusCode}");
    }

    step = "PUT of a bad name";
    using (HttpResponseMessage bad = await http.PutAsync(new Uri("/apps/shop/secrets/1BAD", UriKind.Relative), new StringContent(value)))
    {
        Check(bad.StatusCode == HttpStatusCode.BadRequest, $"answered {(int)bad.StatusCode}, not 400");
    }

    step = "GET /apps/shop/secrets";
    string[] names = await http.GetFromJsonAsync<string[]>(new Uri("/apps/shop/secrets", UriKind.Relative)) ?? [];
    Check(names is ["STRIPE_KEY"], $"listed [{string.Join(", ", names)}]");

    step = "GET /apps/shop/environment";
    string[] variables = await http.GetFromJsonAsync<string[]>(new Uri("/apps/shop/environment", UriKind.Relative)) ?? [];
    Check(variables.Contains("STRIPE_KEY"), $"the environment holds [{string.Join(", ", variables)}]");

    step = "the environment built by ISecretInjector";
    using (SecretEnvironment environment = await app.Services.GetRequiredService<ISecretInjector>().BuildEnvironmentAsync("shop"))
    {
        var variablesOfProcess = new Dictionary<string, string?>();
        environment.ApplyTo(variablesOfProcess);
        Check(variablesOfProcess.GetValueOrDefault("STRIPE_KEY") == value, "STRIPE_KEY does not hold the value set");
    }

    await app.StopAsync();

    step = "the configuration provider (RootCx.Vault.Configuration)";
    IConfigurationRoot configuration = new ConfigurationBuilder().AddRootCxVault("shop", vault => PersistTo(vault), ConfigureKey).Build();
    try
    {
        Check(configuration["STRIPE_KEY"] == value, "STRIPE_KEY does not hold the value set");
    }
    finally
    {
        (configuration as IDisposable)?.Dispose();
    }
}
catch (Exception e)
{
    // The exception's type and message only: the vault's messages never hold a value.
    Console.Error.WriteLine($"consumer ({storeKind}): {step}: {e.GetType().Name}: {e.Message}");
    return 1;
}

Console.WriteLine($"consumer ({storeKind}): set, bad name refused, list, environment over HTTP and in process, configuration provider: passed");
return 0;

static void Check(bool condition, string failure)
{
    if (!condition)
    {
        throw new InvalidOperationException(failure);
    }
}
