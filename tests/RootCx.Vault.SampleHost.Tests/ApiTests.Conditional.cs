using System.Net;
using System.Net.Http.Json;

namespace RootCx.Vault.SampleHost.Tests;

/// <summary>Conditional requests: ETags are versions, If-Match and If-None-Match: * protect a write, 412 changes nothing.</summary>
public partial class ApiTests
{
    [TestCase("/api/v1/apps/shop/secrets")]
    [TestCase("/api/v1/platform/secrets")]
    public async Task A_set_carries_the_version_as_its_ETag_and_If_Match_replaces_only_that_version(string path)
    {
        HttpResponseMessage created = await ConditionalAsync(HttpMethod.Post, path, "If-None-Match", "*", new { key = "STRIPE_KEY", value = Value });
        HttpResponseMessage replaced = await ConditionalAsync(HttpMethod.Post, path, "If-Match", "\"1\"", new { key = "STRIPE_KEY", value = Value + "2" });
        string before = await ListingAsync(path);
        HttpResponseMessage stale = await ConditionalAsync(HttpMethod.Post, path, "If-Match", "\"1\"", new { key = "STRIPE_KEY", value = Value + "3" });

        Assert.Multiple(async () =>
        {
            Assert.That((created.StatusCode, created.Headers.ETag?.Tag), Is.EqualTo((HttpStatusCode.Created, "\"1\"")));
            Assert.That((replaced.StatusCode, replaced.Headers.ETag?.Tag), Is.EqualTo((HttpStatusCode.OK, "\"2\"")));
            Assert.That(stale.StatusCode, Is.EqualTo(HttpStatusCode.PreconditionFailed));
            Assert.That(stale.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
            Assert.That((await Json(stale)).GetProperty("detail").GetString(), Does.Contain("STRIPE_KEY").And.Contain("version 2"));
            Assert.That(await ListingAsync(path), Is.EqualTo(before), "the refused set changed nothing");
        });
    }

    [TestCase("/api/v1/apps/shop/secrets")]
    [TestCase("/api/v1/platform/secrets")]
    public async Task If_None_Match_star_creates_only(string path)
    {
        await PostAsync(path, new { key = "STRIPE_KEY", value = Value });
        string before = await ListingAsync(path);

        HttpResponseMessage refused = await ConditionalAsync(HttpMethod.Post, path, "If-None-Match", "*", new { key = "stripe_key", value = Value + "2" });

        Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.PreconditionFailed));
        Assert.That(await ListingAsync(path), Is.EqualTo(before));
    }

    [TestCase("/api/v1/apps/shop/secrets")]
    [TestCase("/api/v1/platform/secrets")]
    public async Task If_Match_on_a_delete_deletes_only_that_version(string path)
    {
        await PostAsync(path, new { key = "STRIPE_KEY", value = Value });
        await PostAsync(path, new { key = "STRIPE_KEY", value = Value + "2" });

        HttpResponseMessage stale = await ConditionalAsync(HttpMethod.Delete, $"{path}/STRIPE_KEY", "If-Match", "\"1\"");
        Assert.That(stale.StatusCode, Is.EqualTo(HttpStatusCode.PreconditionFailed));
        Assert.That(await ListingAsync(path), Does.Contain("STRIPE_KEY"));

        HttpResponseMessage current = await ConditionalAsync(HttpMethod.Delete, $"{path}/STRIPE_KEY", "If-Match", "\"2\"");
        Assert.That(current.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        Assert.That(await ListingAsync(path), Is.EqualTo("[]"));
    }

    [TestCase("POST", "If-Match", "*")]
    [TestCase("POST", "If-Match", "W/\"1\"")]
    [TestCase("POST", "If-Match", "\"1\", \"2\"")]
    [TestCase("POST", "If-Match", "\"one\"")]
    [TestCase("POST", "If-Match", "\"0\"")]
    [TestCase("POST", "If-Match", "1")]
    [TestCase("POST", "If-None-Match", "\"1\"")]
    [TestCase("DELETE", "If-None-Match", "*")]
    public async Task A_precondition_header_the_api_does_not_understand_is_refused_with_400_and_changes_nothing(string method, string header, string value)
    {
        const string Path = "/api/v1/apps/shop/secrets";
        await PostAsync(Path, new { key = "STRIPE_KEY", value = Value });
        string before = await ListingAsync(Path);

        HttpResponseMessage refused = method == "POST"
            ? await ConditionalAsync(HttpMethod.Post, Path, header, value, new { key = "STRIPE_KEY", value = Value + "2" })
            : await ConditionalAsync(HttpMethod.Delete, $"{Path}/STRIPE_KEY", header, value);

        Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That((await Json(refused)).GetProperty("title").GetString(), Is.EqualTo("Invalid precondition header"));
        Assert.That(await ListingAsync(Path), Is.EqualTo(before));
    }

    private async Task<string> ListingAsync(string path) => await (await SendAsync(HttpMethod.Get, path)).Content.ReadAsStringAsync();

    private async Task<HttpResponseMessage> ConditionalAsync(HttpMethod method, string path, string header, string value, object? body = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
        request.Headers.TryAddWithoutValidation(header, value);
        HttpResponseMessage response = await _client.SendAsync(request);
        _bodies.Add(await response.Content.ReadAsStringAsync());
        return response;
    }
}
