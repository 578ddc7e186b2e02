using System.Net;
using System.Text.Json;

namespace RootCx.Vault.SampleHost.Tests;

/// <summary>Soft delete over HTTP: a deleted secret is listed apart, recovered with its history, or purged for good.</summary>
public partial class ApiTests
{
    [TestCase("/api/v1/apps/shop", "shop")]
    [TestCase("/api/v1/platform", SecretScope.PlatformNamespace)]
    public async Task A_deleted_secret_leaves_the_listing_and_the_runtime_and_is_listed_as_deleted_with_its_times(string path, string scope)
    {
        await PostAsync($"{path}/secrets", new { key = "STRIPE_KEY", value = Value });
        await PostAsync($"{path}/secrets", new { key = "STRIPE_KEY", value = Value + "2" });
        DateTimeOffset before = DateTimeOffset.UtcNow;

        HttpResponseMessage deleted = await SendAsync(HttpMethod.Delete, $"{path}/secrets/STRIPE_KEY");
        HttpResponseMessage listed = await SendAsync(HttpMethod.Get, $"{path}/deleted-secrets");
        JsonElement only = (await Json(listed)).EnumerateArray().Single();

        Assert.Multiple(async () =>
        {
            Assert.That(deleted.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
            Assert.That(await ListingAsync($"{path}/secrets"), Is.EqualTo("[]"));
            Assert.That(await RuntimeValueAsync(SecretScope.FromNamespace(scope), "STRIPE_KEY"), Is.Null);
            Assert.That(listed.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(only.EnumerateObject().Select(p => p.Name), Is.EquivalentTo(new[] { "key", "version", "deletedAt", "purgeAfter", "keyId" }));
            Assert.That((only.GetProperty("key").GetString(), only.GetProperty("version").GetInt64()), Is.EqualTo(("STRIPE_KEY", 2L)));
            Assert.That(only.GetProperty("keyId").GetString(), Does.Match("^[0-9a-f]{8}$"));
            DateTimeOffset deletedAt = only.GetProperty("deletedAt").GetDateTimeOffset();
            Assert.That(deletedAt, Is.EqualTo(before).Within(TimeSpan.FromMinutes(1)));
            Assert.That(only.GetProperty("purgeAfter").GetDateTimeOffset() - deletedAt, Is.EqualTo(TimeSpan.FromDays(7)), "the default retention");
        });
    }

    [Test]
    public async Task Deleted_secrets_are_listed_per_scope()
    {
        await PostAsync("/api/v1/apps/shop/secrets", new { key = "TOKEN", value = Value });
        await SendAsync(HttpMethod.Delete, "/api/v1/apps/shop/secrets/TOKEN");

        Assert.That(await ListingAsync("/api/v1/platform/deleted-secrets"), Is.EqualTo("[]"));
        Assert.That(await ListingAsync("/api/v1/apps/other/deleted-secrets"), Is.EqualTo("[]"));
    }

    [TestCase("/api/v1/apps/shop", "shop")]
    [TestCase("/api/v1/platform", SecretScope.PlatformNamespace)]
    public async Task Recover_brings_a_deleted_secret_back_with_its_value_version_and_history(string path, string scope)
    {
        await PostAsync($"{path}/secrets", new { key = "STRIPE_KEY", value = Value + "-v1" });
        await PostAsync($"{path}/secrets", new { key = "STRIPE_KEY", value = Value + "-v2" });
        await SendAsync(HttpMethod.Delete, $"{path}/secrets/STRIPE_KEY");

        HttpResponseMessage recovered = await SendAsync(HttpMethod.Post, $"{path}/deleted-secrets/stripe_key/recover");
        JsonElement body = await Json(recovered);
        JsonElement listed = (await Json(await SendAsync(HttpMethod.Get, $"{path}/secrets"))).EnumerateArray().Single();
        JsonElement[] versions = [.. (await Json(await SendAsync(HttpMethod.Get, $"{path}/secrets/STRIPE_KEY/versions"))).EnumerateArray()];

        Assert.Multiple(async () =>
        {
            Assert.That((recovered.StatusCode, recovered.Headers.ETag?.Tag), Is.EqualTo((HttpStatusCode.OK, "\"2\"")));
            Assert.That(body.EnumerateObject().Select(p => p.Name), Is.EquivalentTo(new[] { "key", "createdAt", "updatedAt", "version" }));
            Assert.That((body.GetProperty("key").GetString(), body.GetProperty("version").GetInt64()), Is.EqualTo(("STRIPE_KEY", 2L)));
            Assert.That((listed.GetProperty("key").GetString(), listed.GetProperty("version").GetInt64()), Is.EqualTo(("STRIPE_KEY", 2L)));
            Assert.That(await ListingAsync($"{path}/deleted-secrets"), Is.EqualTo("[]"));
            Assert.That(versions.Select(v => v.GetProperty("version").GetInt64()), Is.EqualTo(new long[] { 2, 1 }), "the history came back too");
            Assert.That(await RuntimeValueAsync(SecretScope.FromNamespace(scope), "STRIPE_KEY"), Is.EqualTo(Value + "-v2"));
        });
    }

    [TestCase("/api/v1/apps/shop")]
    [TestCase("/api/v1/platform")]
    public async Task Purge_destroys_a_deleted_secret_and_its_history_for_good(string path)
    {
        await PostAsync($"{path}/secrets", new { key = "STRIPE_KEY", value = Value + "-v1" });
        await PostAsync($"{path}/secrets", new { key = "STRIPE_KEY", value = Value + "-v2" });
        await SendAsync(HttpMethod.Delete, $"{path}/secrets/STRIPE_KEY");

        HttpResponseMessage purged = await SendAsync(HttpMethod.Delete, $"{path}/deleted-secrets/stripe_key");

        Assert.Multiple(async () =>
        {
            Assert.That(purged.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
            Assert.That(await ListingAsync($"{path}/deleted-secrets"), Is.EqualTo("[]"));
            Assert.That(await ListingAsync($"{path}/secrets"), Is.EqualTo("[]"));
            Assert.That((await SendAsync(HttpMethod.Post, $"{path}/deleted-secrets/STRIPE_KEY/recover")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That((await SendAsync(HttpMethod.Delete, $"{path}/deleted-secrets/STRIPE_KEY")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        });

        // Set again, the name starts a new history: nothing of the purged versions is left to list or restore.
        HttpResponseMessage recreated = await PostAsync($"{path}/secrets", new { key = "STRIPE_KEY", value = Value + "-v3" });
        long version = (await Json(recreated)).GetProperty("version").GetInt64();
        JsonElement[] versions = [.. (await Json(await SendAsync(HttpMethod.Get, $"{path}/secrets/STRIPE_KEY/versions"))).EnumerateArray()];
        Assert.That(version, Is.GreaterThan(2), "versions never repeat for a name");
        Assert.That(versions.Select(v => v.GetProperty("version").GetInt64()), Is.EqualTo(new[] { version }));
        Assert.That((await SendAsync(HttpMethod.Post, $"{path}/secrets/STRIPE_KEY/versions/1/restore")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [TestCase("POST", "/api/v1/apps/shop/deleted-secrets/MISSING_KEY/recover")]
    [TestCase("POST", "/api/v1/apps/shop/deleted-secrets/LIVE_KEY/recover")]
    [TestCase("POST", "/api/v1/platform/deleted-secrets/MISSING_KEY/recover")]
    [TestCase("DELETE", "/api/v1/apps/shop/deleted-secrets/MISSING_KEY")]
    [TestCase("DELETE", "/api/v1/apps/shop/deleted-secrets/LIVE_KEY")]
    [TestCase("DELETE", "/api/v1/platform/deleted-secrets/MISSING_KEY")]
    public async Task Recovering_or_purging_what_is_not_deleted_is_a_404_and_leaves_a_live_secret_alone(string method, string path)
    {
        await PostAsync("/api/v1/apps/shop/secrets", new { key = "LIVE_KEY", value = Value });
        string before = await ListingAsync("/api/v1/apps/shop/secrets");

        HttpResponseMessage response = await SendAsync(new HttpMethod(method), path);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
        Assert.That((await Json(response)).GetProperty("title").GetString(), Is.EqualTo("Deleted secret not found"));
        Assert.That(await ListingAsync("/api/v1/apps/shop/secrets"), Is.EqualTo(before));
        Assert.That(await RuntimeValueAsync(SecretScope.ForApp("shop"), "LIVE_KEY"), Is.EqualTo(Value));
    }

    [Test]
    public async Task The_audit_names_the_caller_of_each_restore_recover_and_purge()
    {
        const string Path = "/api/v1/apps/shop";
        await PostAsync($"{Path}/secrets", new { key = "STRIPE_KEY", value = Value + "-v1" });
        await PostAsync($"{Path}/secrets", new { key = "STRIPE_KEY", value = Value + "-v2" });
        await SendAsync(HttpMethod.Post, $"{Path}/secrets/STRIPE_KEY/versions/1/restore");
        await SendAsync(HttpMethod.Delete, $"{Path}/secrets/STRIPE_KEY");
        await SendAsync(HttpMethod.Post, $"{Path}/deleted-secrets/STRIPE_KEY/recover");
        await SendAsync(HttpMethod.Delete, $"{Path}/secrets/STRIPE_KEY");
        await SendAsync(HttpMethod.Delete, $"{Path}/deleted-secrets/STRIPE_KEY");

        JsonElement[] events = [.. (await Json(await SendAsync(HttpMethod.Get, "/api/v1/audit?scope=shop&name=STRIPE_KEY"))).GetProperty("events").EnumerateArray()];

        Assert.That(
            events.Select(e => (e.GetProperty("action").GetString(), VersionOf(e), e.GetProperty("outcome").GetString(), e.GetProperty("actor").GetString())),
            Is.EqualTo(new (string, long?, string, string)[]
            {
                ("Set", 1, "Succeeded", "user:admin"),
                ("Set", 2, "Succeeded", "user:admin"),
                ("Restore", 3, "Succeeded", "user:admin"),
                ("Delete", null, "Succeeded", "user:admin"),
                ("Recover", 3, "Succeeded", "user:admin"),
                ("Delete", null, "Succeeded", "user:admin"),
                ("Purge", 3, "Succeeded", "user:admin"),
            }));
    }

    private static long? VersionOf(JsonElement auditEvent) =>
        auditEvent.GetProperty("version") is { ValueKind: JsonValueKind.Number } version ? version.GetInt64() : null;

    private static IEnumerable<TestCaseData> BadLifecycleRequests()
    {
        yield return new TestCaseData("GET", "/api/v1/apps/shop/secrets/1BAD/versions", "must not start with a digit").SetName("versions: name invalid");
        yield return new TestCaseData("GET", "/api/v1/platform/secrets/BAD-NAME/versions", "character 4").SetName("versions: platform name invalid");
        yield return new TestCaseData("GET", "/api/v1/apps/_platform/secrets/TOKEN/versions", "reserved").SetName("versions: appId _platform");
        yield return new TestCaseData("GET", "/api/v1/apps//secrets/TOKEN/versions", "appId is required").SetName("versions: appId empty");
        yield return new TestCaseData("POST", "/api/v1/apps/Shop/secrets/TOKEN/versions/1/restore", "lowercase").SetName("restore: appId uppercase");
        yield return new TestCaseData("POST", "/api/v1/apps/shop/secrets/1BAD/versions/1/restore", "must not start with a digit").SetName("restore: name invalid");
        yield return new TestCaseData("POST", "/api/v1/platform/secrets/BAD-NAME/versions/1/restore", "character 4").SetName("restore: platform name invalid");
        yield return new TestCaseData("GET", "/api/v1/apps/_platform/deleted-secrets", "reserved").SetName("deleted: appId _platform");
        yield return new TestCaseData("GET", "/api/v1/apps/..%2Fx/deleted-secrets", "may contain only").SetName("deleted: appId ../x");
        yield return new TestCaseData("GET", "/api/v1/apps//deleted-secrets", "appId is required").SetName("deleted: appId empty");
        yield return new TestCaseData("GET", $"/api/v1/apps/{new string('a', 65)}/deleted-secrets", "at most 64").SetName("deleted: appId too long");
        yield return new TestCaseData("POST", "/api/v1/apps/shop/deleted-secrets/1BAD/recover", "must not start with a digit").SetName("recover: name invalid");
        yield return new TestCaseData("POST", "/api/v1/platform/deleted-secrets/BAD-NAME/recover", "character 4").SetName("recover: platform name invalid");
        yield return new TestCaseData("POST", "/api/v1/apps/_platform/deleted-secrets/TOKEN/recover", "reserved").SetName("recover: appId _platform");
        yield return new TestCaseData("DELETE", "/api/v1/apps/shop/deleted-secrets/1BAD", "must not start with a digit").SetName("purge: name invalid");
        yield return new TestCaseData("DELETE", "/api/v1/platform/deleted-secrets/BAD-NAME", "character 4").SetName("purge: platform name invalid");
        yield return new TestCaseData("DELETE", "/api/v1/apps/Shop/deleted-secrets/TOKEN", "lowercase").SetName("purge: appId uppercase");
    }

    [TestCaseSource(nameof(BadLifecycleRequests))]
    public async Task A_lifecycle_route_with_a_bad_appId_or_name_is_a_400_naming_the_rule(string method, string path, string rule)
    {
        HttpResponseMessage response = await SendAsync(new HttpMethod(method), path);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
        Assert.That((await Json(response)).GetProperty("detail").GetString(), Does.Contain(rule));
    }

    // Each route aimed at a secret it could change: STRIPE_KEY is live with two versions, OTHER_KEY deleted.
    [TestCase("GET", "/api/v1/apps/shop/secrets/STRIPE_KEY/versions")]
    [TestCase("POST", "/api/v1/apps/shop/secrets/STRIPE_KEY/versions/1/restore")]
    [TestCase("GET", "/api/v1/apps/shop/deleted-secrets")]
    [TestCase("POST", "/api/v1/apps/shop/deleted-secrets/OTHER_KEY/recover")]
    [TestCase("DELETE", "/api/v1/apps/shop/deleted-secrets/OTHER_KEY")]
    [TestCase("GET", "/api/v1/platform/secrets/STRIPE_KEY/versions")]
    [TestCase("POST", "/api/v1/platform/secrets/STRIPE_KEY/versions/1/restore")]
    [TestCase("GET", "/api/v1/platform/deleted-secrets")]
    [TestCase("POST", "/api/v1/platform/deleted-secrets/OTHER_KEY/recover")]
    [TestCase("DELETE", "/api/v1/platform/deleted-secrets/OTHER_KEY")]
    [TestCase("GET", "/api/v1/apps//deleted-secrets")]
    public async Task Every_lifecycle_route_requires_the_api_key_and_changes_nothing_without_it(string method, string path)
    {
        string scope = path.StartsWith("/api/v1/platform", StringComparison.Ordinal) ? "/api/v1/platform" : "/api/v1/apps/shop";
        await PostAsync($"{scope}/secrets", new { key = "STRIPE_KEY", value = Value + "-v1" });
        await PostAsync($"{scope}/secrets", new { key = "STRIPE_KEY", value = Value + "-v2" });
        await PostAsync($"{scope}/secrets", new { key = "OTHER_KEY", value = Value });
        await SendAsync(HttpMethod.Delete, $"{scope}/secrets/OTHER_KEY");
        string before = await ListingAsync($"{scope}/secrets") + await ListingAsync($"{scope}/deleted-secrets");
        using HttpClient anonymous = _host.CreateClient();

        using var request = new HttpRequestMessage(new HttpMethod(method), path);

        HttpResponseMessage response = await anonymous.SendAsync(request);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
        Assert.That(await ListingAsync($"{scope}/secrets") + await ListingAsync($"{scope}/deleted-secrets"), Is.EqualTo(before));
    }
}
