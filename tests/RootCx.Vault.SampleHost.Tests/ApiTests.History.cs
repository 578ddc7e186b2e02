using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;

namespace RootCx.Vault.SampleHost.Tests;

/// <summary>History over HTTP: the versions kept, and restoring one, which the runtime then reads; never a value in a response.</summary>
public partial class ApiTests
{
    [TestCase("/api/v1/apps/shop/secrets")]
    [TestCase("/api/v1/platform/secrets")]
    public async Task Versions_lists_each_version_newest_first_with_its_writer_key_id_and_the_current_one_marked(string path)
    {
        await PostAsync(path, new { key = "STRIPE_KEY", value = Value + "-v1" });
        await PostAsync(path, new { key = "STRIPE_KEY", value = Value + "-v2" });

        HttpResponseMessage response = await SendAsync(HttpMethod.Get, $"{path}/stripe_key/versions");
        JsonElement[] versions = [.. (await Json(response)).EnumerateArray()];

        Assert.Multiple(() =>
        {
            Assert.That((response.StatusCode, response.Headers.ETag?.Tag), Is.EqualTo((HttpStatusCode.OK, "\"2\"")));
            Assert.That(versions.Select(VersionActorCurrent), Is.EqualTo(new[] { (2L, "user:admin", true), (1L, "user:admin", false) }));
            Assert.That(versions[0].EnumerateObject().Select(p => p.Name), Is.EquivalentTo(new[] { "version", "writtenAt", "keyId", "actor", "current" }));
            Assert.That(versions.Select(v => v.GetProperty("keyId").GetString()), Has.All.Match("^[0-9a-f]{8}$"));
            Assert.That(versions[0].GetProperty("writtenAt").GetDateTimeOffset(), Is.GreaterThanOrEqualTo(versions[1].GetProperty("writtenAt").GetDateTimeOffset()));
        });
    }

    [TestCase("/api/v1/apps/shop/secrets")]
    [TestCase("/api/v1/platform/secrets")]
    public async Task Versions_of_a_secret_that_does_not_exist_or_was_deleted_is_a_404(string path)
    {
        await PostAsync(path, new { key = "DELETED_KEY", value = Value });
        await SendAsync(HttpMethod.Delete, $"{path}/DELETED_KEY");

        foreach (string key in new[] { "MISSING_KEY", "DELETED_KEY" })
        {
            HttpResponseMessage response = await SendAsync(HttpMethod.Get, $"{path}/{key}/versions");
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound), key);
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"), key);
        }
    }

    [TestCase("/api/v1/apps/shop/secrets", "shop")]
    [TestCase("/api/v1/platform/secrets", SecretScope.PlatformNamespace)]
    public async Task Restore_seals_an_older_version_again_as_the_newest_and_the_runtime_reads_its_value(string path, string scope)
    {
        await PostAsync(path, new { key = "STRIPE_KEY", value = Value + "-v1" });
        await PostAsync(path, new { key = "STRIPE_KEY", value = Value + "-v2" });

        HttpResponseMessage restored = await ConditionalAsync(HttpMethod.Post, $"{path}/STRIPE_KEY/versions/1/restore", "If-Match", "\"2\"");
        JsonElement body = await Json(restored);
        JsonElement[] versions = [.. (await Json(await SendAsync(HttpMethod.Get, $"{path}/STRIPE_KEY/versions"))).EnumerateArray()];

        Assert.Multiple(async () =>
        {
            Assert.That((restored.StatusCode, restored.Headers.ETag?.Tag), Is.EqualTo((HttpStatusCode.OK, "\"3\"")));
            Assert.That(body.EnumerateObject().Select(p => p.Name), Is.EquivalentTo(new[] { "key", "createdAt", "updatedAt", "version" }));
            Assert.That((body.GetProperty("key").GetString(), body.GetProperty("version").GetInt64()), Is.EqualTo(("STRIPE_KEY", 3L)));
            Assert.That(versions.Select(VersionActorCurrent), Is.EqualTo(new[] { (3L, "user:admin", true), (2L, "user:admin", false), (1L, "user:admin", false) }));
            Assert.That(await RuntimeValueAsync(SecretScope.FromNamespace(scope), "STRIPE_KEY"), Is.EqualTo(Value + "-v1"));
        });
    }

    [Test]
    public async Task Restore_without_If_Match_restores_whatever_the_current_version()
    {
        await PostAsync("/api/v1/apps/shop/secrets", new { key = "STRIPE_KEY", value = Value + "-v1" });
        await PostAsync("/api/v1/apps/shop/secrets", new { key = "STRIPE_KEY", value = Value + "-v2" });

        HttpResponseMessage restored = await SendAsync(HttpMethod.Post, "/api/v1/apps/shop/secrets/STRIPE_KEY/versions/1/restore");

        Assert.That((restored.StatusCode, restored.Headers.ETag?.Tag), Is.EqualTo((HttpStatusCode.OK, "\"3\"")));
        Assert.That(await RuntimeValueAsync(SecretScope.ForApp("shop"), "STRIPE_KEY"), Is.EqualTo(Value + "-v1"));
    }

    [TestCase("/api/v1/apps/shop/secrets", "shop")]
    [TestCase("/api/v1/platform/secrets", SecretScope.PlatformNamespace)]
    public async Task Restore_with_a_stale_If_Match_is_412_and_changes_nothing(string path, string scope)
    {
        await PostAsync(path, new { key = "STRIPE_KEY", value = Value + "-v1" });
        await PostAsync(path, new { key = "STRIPE_KEY", value = Value + "-v2" });
        string before = await ListingAsync($"{path}/STRIPE_KEY/versions");

        HttpResponseMessage stale = await ConditionalAsync(HttpMethod.Post, $"{path}/STRIPE_KEY/versions/1/restore", "If-Match", "\"1\"");

        Assert.Multiple(async () =>
        {
            Assert.That(stale.StatusCode, Is.EqualTo(HttpStatusCode.PreconditionFailed));
            Assert.That(stale.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
            Assert.That((await Json(stale)).GetProperty("detail").GetString(), Does.Contain("STRIPE_KEY").And.Contain("version 2"));
            Assert.That(await ListingAsync($"{path}/STRIPE_KEY/versions"), Is.EqualTo(before), "the refused restore changed nothing");
            Assert.That(await RuntimeValueAsync(SecretScope.FromNamespace(scope), "STRIPE_KEY"), Is.EqualTo(Value + "-v2"));
        });
    }

    [TestCase("If-None-Match", "*")]
    [TestCase("If-Match", "*")]
    [TestCase("If-Match", "W/\"2\"")]
    [TestCase("If-Match", "2")]
    public async Task Restore_with_a_precondition_header_the_api_does_not_understand_is_400_and_changes_nothing(string header, string value)
    {
        await PostAsync("/api/v1/apps/shop/secrets", new { key = "STRIPE_KEY", value = Value + "-v1" });
        await PostAsync("/api/v1/apps/shop/secrets", new { key = "STRIPE_KEY", value = Value + "-v2" });
        string before = await ListingAsync("/api/v1/apps/shop/secrets/STRIPE_KEY/versions");

        HttpResponseMessage refused = await ConditionalAsync(HttpMethod.Post, "/api/v1/apps/shop/secrets/STRIPE_KEY/versions/1/restore", header, value);

        Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That((await Json(refused)).GetProperty("title").GetString(), Is.EqualTo("Invalid precondition header"));
        Assert.That(await ListingAsync("/api/v1/apps/shop/secrets/STRIPE_KEY/versions"), Is.EqualTo(before));
    }

    [TestCase("/api/v1/apps/shop/secrets/MISSING_KEY/versions/1/restore")]
    [TestCase("/api/v1/apps/shop/secrets/STRIPE_KEY/versions/3/restore")]
    [TestCase("/api/v1/apps/shop/secrets/DELETED_KEY/versions/1/restore")]
    [TestCase("/api/v1/platform/secrets/MISSING_KEY/versions/1/restore")]
    [TestCase("/api/v1/platform/secrets/STRIPE_KEY/versions/1/restore")]
    public async Task Restoring_a_secret_or_version_that_does_not_exist_is_a_404(string path)
    {
        await PostAsync("/api/v1/apps/shop/secrets", new { key = "STRIPE_KEY", value = Value + "-v1" });
        await PostAsync("/api/v1/apps/shop/secrets", new { key = "STRIPE_KEY", value = Value + "-v2" });
        await PostAsync("/api/v1/apps/shop/secrets", new { key = "DELETED_KEY", value = Value });
        await SendAsync(HttpMethod.Delete, "/api/v1/apps/shop/secrets/DELETED_KEY");
        string before = await ListingAsync("/api/v1/apps/shop/secrets");

        HttpResponseMessage response = await SendAsync(HttpMethod.Post, path);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
        Assert.That(await ListingAsync("/api/v1/apps/shop/secrets"), Is.EqualTo(before));
    }

    [TestCase("0")]
    [TestCase("-1")]
    [TestCase("+1")]
    [TestCase("one")]
    [TestCase("1.5")]
    [TestCase("1e2")]
    [TestCase("%201")]
    [TestCase("99999999999999999999")]
    public async Task Restoring_a_malformed_version_is_a_400_and_changes_nothing(string version)
    {
        await PostAsync("/api/v1/apps/shop/secrets", new { key = "STRIPE_KEY", value = Value + "-v1" });
        await PostAsync("/api/v1/apps/shop/secrets", new { key = "STRIPE_KEY", value = Value + "-v2" });
        string before = await ListingAsync("/api/v1/apps/shop/secrets/STRIPE_KEY/versions");

        HttpResponseMessage response = await SendAsync(HttpMethod.Post, $"/api/v1/apps/shop/secrets/STRIPE_KEY/versions/{version}/restore");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
        Assert.That((await Json(response)).GetProperty("title").GetString(), Is.EqualTo("Invalid version"));
        Assert.That(await ListingAsync("/api/v1/apps/shop/secrets/STRIPE_KEY/versions"), Is.EqualTo(before));
    }

    private static (long Version, string? Actor, bool Current) VersionActorCurrent(JsonElement version) =>
        (version.GetProperty("version").GetInt64(), version.GetProperty("actor").GetString(), version.GetProperty("current").GetBoolean());

    private async Task<string?> RuntimeValueAsync(SecretScope scope, string name)
    {
        using SecretValue? value = await _host.Services.GetRequiredService<ISecretReader>().GetAsync(scope, name);
        return value?.RevealString();
    }
}
