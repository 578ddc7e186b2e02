using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace RootCx.Vault.SampleHost.Tests;

/// <summary>Every route and error case over HTTP, on the file system store and on PostgreSQL.</summary>
[TestFixture(SampleStore.FileSystem)]
[TestFixture(SampleStore.PostgreSql)]
public partial class ApiTests(SampleStore store)
{
    private const string Value = "sk_live_http_value_5e8a1f";
    private SampleHostFactory _host = null!;
    private HttpClient _client = null!;
    private readonly List<string> _bodies = [];

    [SetUp]
    public void StartHost()
    {
        _host = store == SampleStore.FileSystem ? new SampleHostFactory() : new SampleHostFactory(PostgreSqlConnectionString());
        _client = _host.CreateAdminClient();
    }

    [TearDown]
    public void StopHost()
    {
        // Without a PostgreSQL server the fixture is ignored in SetUp, before there is a host to check.
        if (_host is null)
        {
            return;
        }

        // Whatever each test did, no response body and no log line may hold a value that was sent.
        Assert.That(_bodies, Has.None.Contains(Value), "a response body held a value");
        Assert.That(_host.Logs, Has.None.Contains(Value), "a log line held a value");
        _client.Dispose();
        _host.Dispose();
    }

    [TestCase("/api/v1/apps/shop/secrets")]
    [TestCase("/api/v1/platform/secrets")]
    public async Task Set_creates_then_updates_list_shows_names_and_delete_removes(string path)
    {
        HttpResponseMessage created = await PostAsync(path, new { key = "STRIPE_KEY", value = Value });
        HttpResponseMessage updated = await PostAsync(path, new { key = "stripe_key", value = Value + "2" });
        HttpResponseMessage listed = await SendAsync(HttpMethod.Get, path);

        Assert.Multiple(async () =>
        {
            Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created));
            Assert.That(updated.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That((await Json(updated)).GetProperty("version").GetInt64(), Is.EqualTo(2));
            Assert.That(listed.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            JsonElement only = (await Json(listed)).EnumerateArray().Single();
            Assert.That(only.GetProperty("key").GetString(), Is.EqualTo("stripe_key"));
            Assert.That(only.EnumerateObject().Select(p => p.Name), Is.EquivalentTo(new[] { "key", "createdAt", "updatedAt", "version" }));
        });

        Assert.That((await SendAsync(HttpMethod.Delete, $"{path}/STRIPE_KEY")).StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        HttpResponseMessage missing = await SendAsync(HttpMethod.Delete, $"{path}/STRIPE_KEY");
        Assert.That(missing.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(missing.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
        Assert.That((await Json(await SendAsync(HttpMethod.Get, path))).GetArrayLength(), Is.Zero);
    }

    [Test]
    public async Task Secrets_land_in_the_configured_store()
    {
        Assert.That((await PostAsync("/api/v1/apps/shop/secrets", new { key = "STRIPE_KEY", value = Value })).StatusCode, Is.EqualTo(HttpStatusCode.Created));
        Assert.That(Directory.Exists(Path.Combine(_host.DataPath, "secrets")), Is.EqualTo(store == SampleStore.FileSystem));
    }

    [Test]
    public async Task App_and_platform_scopes_are_separate_over_http()
    {
        await PostAsync("/api/v1/apps/shop/secrets", new { key = "TOKEN", value = Value });

        Assert.That((await Json(await SendAsync(HttpMethod.Get, "/api/v1/platform/secrets"))).GetArrayLength(), Is.Zero);
        Assert.That((await Json(await SendAsync(HttpMethod.Get, "/api/v1/apps/other/secrets"))).GetArrayLength(), Is.Zero);
    }

    [TestCase("GET", "/api/v1/apps/shop/secrets", null)]
    [TestCase("POST", "/api/v1/apps/shop/secrets", "anything")]
    [TestCase("DELETE", "/api/v1/apps/shop/secrets/KEY", null)]
    [TestCase("GET", "/api/v1/platform/secrets", null)]
    [TestCase("POST", "/api/v1/platform/secrets", "anything")]
    [TestCase("DELETE", "/api/v1/platform/secrets/KEY", null)]
    [TestCase("GET", "/api/v1/platform/secrets", "Bearer wrong-key")]
    [TestCase("POST", "/api/v1/apps//secrets", "anything")]
    [TestCase("GET", "/openapi/v1.json", null)]
    public async Task Every_route_requires_the_api_key(string method, string path, string? authorization)
    {
        using HttpClient anonymous = _host.CreateClient();
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (authorization?.StartsWith("Bearer", StringComparison.Ordinal) == true)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }
        else if (authorization is not null)
        {
            request.Content = JsonContent.Create(new { key = "KEY", value = Value });
        }

        HttpResponseMessage response = await anonymous.SendAsync(request);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
        Assert.That(Directory.Exists(Path.Combine(_host.DataPath, "secrets", "scopes")) ? Directory.GetFiles(Path.Combine(_host.DataPath, "secrets", "scopes"), "*", SearchOption.AllDirectories) : [], Is.Empty);
    }

    [Test]
    public async Task The_api_key_is_also_accepted_as_x_api_key()
    {
        using HttpClient client = _host.CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", SampleHostFactory.ApiKey);
        Assert.That((await client.GetAsync("/api/v1/platform/secrets")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    private static IEnumerable<TestCaseData> BadRequests()
    {
        string tooBig = new('x', ISecretVault.MaxValueUtf8Bytes + 1);
        yield return Case("/api/v1/apps/_platform/secrets", """{"key":"A","value":"VALUE"}""", 400, "reserved").SetName("appId _platform");
        yield return Case("/api/v1/apps/..%2Fx/secrets", """{"key":"A","value":"VALUE"}""", 400, "may contain only").SetName("appId ../x");
        yield return Case("/api/v1/apps//secrets", """{"key":"A","value":"VALUE"}""", 400, "appId is required").SetName("appId empty");
        yield return Case($"/api/v1/apps/{new string('a', 65)}/secrets", """{"key":"A","value":"VALUE"}""", 400, "at most 64").SetName("appId too long");
        yield return Case("/api/v1/apps/Shop/secrets", """{"key":"A","value":"VALUE"}""", 400, "lowercase").SetName("appId uppercase");
        yield return Case("/api/v1/apps/shop/secrets", """{"key":"1BAD","value":"VALUE"}""", 400, "must not start with a digit").SetName("name invalid");
        yield return Case("/api/v1/platform/secrets", """{"key":"BAD-NAME","value":"VALUE"}""", 400, "character 4").SetName("platform name invalid");
        yield return Case("/api/v1/apps/shop/secrets", """{"key":"A","value":"VALUE""", 400, "not valid JSON").SetName("malformed JSON");
        yield return Case("/api/v1/apps/shop/secrets", """{"key":"A","value":VALUE}""", 400, "not valid JSON").SetName("unquoted value");
        yield return Case("/api/v1/apps/shop/secrets", """{"key":"A"}""", 400, "\"value\" is required").SetName("missing value");
        yield return Case("/api/v1/apps/shop/secrets", """{"value":"VALUE"}""", 400, "\"key\" is required").SetName("missing key");
        yield return Case("/api/v1/apps/shop/secrets", """{"key":"A","value":"VALUE","extra":1}""", 400, "Only the fields").SetName("extra field");
        yield return Case("/api/v1/apps/shop/secrets", """{"key":"A","value":"VALUE","value":"VALUE"}""", 400, "only once").SetName("duplicate field");
        yield return Case("/api/v1/apps/shop/secrets", """{"key":"A","value":42}""", 400, "must be JSON strings").SetName("value not a string");
        yield return Case("/api/v1/apps/shop/secrets", """["A","VALUE"]""", 400, "must be a JSON object").SetName("array body");
        yield return Case("/api/v1/apps/shop/secrets", """{"key":"A","value":"VALUE"} {}""", 400, "not valid JSON").SetName("trailing content");
        yield return Case("/api/v1/apps/shop/secrets", """{"key":"A","value":"VALUE\u0000"}""", 400, "NUL").SetName("value with NUL");
        yield return Case("/api/v1/apps/shop/secrets", """{"key":"EXISTING","value":""}""", 400, "must not be empty").SetName("empty value");
        yield return Case("/api/v1/apps/shop/secrets", $$"""{"key":"A","value":"{{tooBig}}VALUE"}""", 400, "at most 32000 bytes").SetName("value over the limit");
        yield return Case("/api/v1/apps/shop/secrets", $$"""{"key":"A","value":"{{new string('x', SecretWriteBodyLimit)}}VALUE"}""", 413, "at most").SetName("body over the limit");
    }

    private const int SecretWriteBodyLimit = (32_000 * 6) + 1024;

    [TestCaseSource(nameof(BadRequests))]
    public async Task Bad_input_gets_a_problem_naming_the_rule_and_writes_nothing(string path, string body, int status, string rule)
    {
        await PostAsync("/api/v1/apps/shop/secrets", new { key = "EXISTING", value = "existing" });
        string before = Snapshot();

        HttpResponseMessage response = await SendAsync(HttpMethod.Post, path, new StringContent(body.Replace("VALUE", Value, StringComparison.Ordinal), Encoding.UTF8, "application/json"));

        Assert.That((int)response.StatusCode, Is.EqualTo(status));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
        Assert.That((await Json(response)).GetProperty("detail").GetString(), Does.Contain(rule));
        Assert.That(Snapshot(), Is.EqualTo(before), "nothing was written");
    }

    [Test]
    public async Task A_body_that_is_not_json_is_refused()
    {
        HttpResponseMessage response = await SendAsync(HttpMethod.Post, "/api/v1/apps/shop/secrets", new StringContent($"key=A&value={Value}", Encoding.UTF8, "application/x-www-form-urlencoded"));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That((await Json(response)).GetProperty("detail").GetString(), Does.Contain("Content-Type: application/json"));
    }

    [TestCase("/api/v1/apps/shop/secrets/1BAD")]
    [TestCase("/api/v1/platform/secrets/BAD-NAME")]
    [TestCase("/api/v1/apps/_platform/secrets/TOKEN")]
    public async Task Delete_with_bad_input_is_a_bad_request(string path)
    {
        HttpResponseMessage response = await SendAsync(HttpMethod.Delete, path);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
    }

    [Test]
    public async Task A_json_escaped_value_is_stored_unescaped()
    {
        await SendAsync(HttpMethod.Post, "/api/v1/apps/shop/secrets", new StringContent("""{"key":"ESCAPED","value":"a\"b\\c\u00e9\n"}""", Encoding.UTF8, "application/json"));

        var reader = _host.Services.GetService(typeof(ISecretReader)) as ISecretReader;
        using SecretValue? stored = await reader!.GetAsync(SecretScope.ForApp("shop"), "ESCAPED");
        Assert.That(stored!.RevealString(), Is.EqualTo("a\"b\\cé\n"));
    }

    [TestCase("PUT", "/api/v1/apps/shop/secrets", "GET, POST")]
    [TestCase("PATCH", "/api/v1/apps/shop/secrets/KEY", "DELETE")]
    [TestCase("PUT", "/api/v1/platform/secrets", "GET, POST")]
    [TestCase("PATCH", "/api/v1/platform/secrets/KEY", "DELETE")]
    [TestCase("DELETE", "/api/v1/apps/shop/secrets/KEY/versions", "GET")]
    [TestCase("GET", "/api/v1/platform/secrets/KEY/versions/1/restore", "POST")]
    [TestCase("POST", "/api/v1/apps/shop/deleted-secrets", "GET")]
    [TestCase("GET", "/api/v1/platform/deleted-secrets/KEY/recover", "POST")]
    [TestCase("PATCH", "/api/v1/apps/shop/deleted-secrets/KEY", "DELETE")]
    public async Task A_method_a_route_does_not_take_is_405_naming_those_it_takes(string method, string path, string allowed)
    {
        HttpResponseMessage response = await SendAsync(new HttpMethod(method), path);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.MethodNotAllowed));
        Assert.That(response.Content.Headers.Allow, Is.EquivalentTo(allowed.Split(", ")));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
    }

    [Test]
    public async Task The_openapi_document_describes_the_routes()
    {
        JsonElement document = await Json(await SendAsync(HttpMethod.Get, "/openapi/v1.json"));
        string[] paths = [.. document.GetProperty("paths").EnumerateObject().Select(p => p.Name)];

        Assert.That(paths, Is.SupersetOf(new[]
        {
            "/api/v1/apps/{appId}/secrets", "/api/v1/apps/{appId}/secrets/{key}", "/api/v1/platform/secrets", "/api/v1/platform/secrets/{key}",
            "/api/v1/apps/{appId}/secrets/{key}/versions", "/api/v1/apps/{appId}/secrets/{key}/versions/{version}/restore",
            "/api/v1/platform/secrets/{key}/versions", "/api/v1/platform/secrets/{key}/versions/{version}/restore",
            "/api/v1/apps/{appId}/deleted-secrets", "/api/v1/apps/{appId}/deleted-secrets/{key}/recover", "/api/v1/apps/{appId}/deleted-secrets/{key}",
            "/api/v1/platform/deleted-secrets", "/api/v1/platform/deleted-secrets/{key}/recover", "/api/v1/platform/deleted-secrets/{key}",
        }));
    }

    private static TestCaseData Case(string path, string body, int status, string rule) => new(path, body, status, rule);

    private string Snapshot()
    {
        string scopes = Path.Combine(_host.DataPath, "secrets", "scopes");
        return !Directory.Exists(scopes) ? string.Empty : string.Join('\n', Directory.GetFiles(scopes, "*", SearchOption.AllDirectories)
            .Order().Select(f => $"{f} {Convert.ToHexString(File.ReadAllBytes(f))}"));
    }

    private Task<HttpResponseMessage> PostAsync(string path, object body) => SendAsync(HttpMethod.Post, path, JsonContent.Create(body));

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, HttpContent? content = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        HttpResponseMessage response = await _client.SendAsync(request);
        _bodies.Add(await response.Content.ReadAsStringAsync());
        return response;
    }

    private static async Task<JsonElement> Json(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

    private static string PostgreSqlConnectionString()
    {
        string? connectionString = Environment.GetEnvironmentVariable("ROOTCX_VAULT_POSTGRESQL");
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            Assert.Ignore("ROOTCX_VAULT_POSTGRESQL is not set: no PostgreSQL server to run the API against (.ci/run starts one).");
        }

        return connectionString!;
    }
}

/// <summary>The stores the sample host runs on in these tests.</summary>
public enum SampleStore
{
    FileSystem,
    PostgreSql,
}
