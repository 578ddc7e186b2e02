using System.Net;
using System.Text.Json;
using Dapper;

namespace RootCx.Vault.SampleHost.Tests;

/// <summary>The audit routes: who did what, filtered and paged, and a chain check that finds an edited event.</summary>
public partial class ApiTests
{
    [Test]
    public async Task The_audit_lists_each_operation_by_the_authenticated_caller_without_values()
    {
        await PostAsync("/api/v1/apps/shop/secrets", new { key = "STRIPE_KEY", value = Value });
        await ConditionalAsync(HttpMethod.Post, "/api/v1/apps/shop/secrets", "If-None-Match", "*", new { key = "STRIPE_KEY", value = Value });
        await SendAsync(HttpMethod.Delete, "/api/v1/apps/shop/secrets/STRIPE_KEY");

        HttpResponseMessage response = await SendAsync(HttpMethod.Get, "/api/v1/audit");
        JsonElement[] events = [.. (await Json(response)).GetProperty("events").EnumerateArray()];

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(
            events.Select(e => (e.GetProperty("action").GetString(), e.GetProperty("outcome").GetString(), e.GetProperty("actor").GetString())),
            Is.EqualTo(new[] { ("Set", "Succeeded", "user:admin"), ("Set", "Conflict", "user:admin"), ("Delete", "Succeeded", "user:admin") }));
        Assert.That(events[0].EnumerateObject().Select(p => p.Name), Is.EquivalentTo(new[] { "seq", "time", "actor", "action", "scope", "name", "version", "keyId", "outcome", "prevHash", "hash" }));
        Assert.That((events[0].GetProperty("scope").GetString(), events[0].GetProperty("name").GetString(), events[0].GetProperty("version").GetInt64()), Is.EqualTo(("shop", "STRIPE_KEY", 1L)));
    }

    [Test]
    public async Task The_audit_filters_by_scope_name_and_time_and_pages_with_after_and_next()
    {
        DateTimeOffset start = DateTimeOffset.UtcNow.AddMinutes(-1);
        await PostAsync("/api/v1/apps/shop/secrets", new { key = "A_KEY", value = Value });
        await PostAsync("/api/v1/apps/shop/secrets", new { key = "B_KEY", value = Value });
        await PostAsync("/api/v1/platform/secrets", new { key = "A_KEY", value = Value });

        JsonElement platform = await Json(await SendAsync(HttpMethod.Get, "/api/v1/audit?scope=_platform"));
        JsonElement named = await Json(await SendAsync(HttpMethod.Get, "/api/v1/audit?name=a_key"));
        JsonElement before = await Json(await SendAsync(HttpMethod.Get, $"/api/v1/audit?until={Uri.EscapeDataString(start.ToString("O"))}"));
        JsonElement since = await Json(await SendAsync(HttpMethod.Get, $"/api/v1/audit?from={Uri.EscapeDataString(start.ToString("O"))}"));
        JsonElement first = await Json(await SendAsync(HttpMethod.Get, "/api/v1/audit?limit=2"));
        long next = first.GetProperty("next").GetInt64();
        JsonElement second = await Json(await SendAsync(HttpMethod.Get, $"/api/v1/audit?limit=2&after={next}"));

        Assert.Multiple(() =>
        {
            Assert.That(Seqs(platform), Is.EqualTo(new long[] { 3 }));
            Assert.That(Seqs(named), Is.EqualTo(new long[] { 1, 3 }));
            Assert.That(Seqs(before), Is.Empty);
            Assert.That(Seqs(since), Is.EqualTo(new long[] { 1, 2, 3 }));
            Assert.That((Seqs(first), next), Is.EqualTo((new long[] { 1, 2 }, 2L)));
            Assert.That(Seqs(second), Is.EqualTo(new long[] { 3 }));
            Assert.That(second.GetProperty("next").ValueKind, Is.EqualTo(JsonValueKind.Null), "the last page has no next");
        });
    }

    [TestCase("/api/v1/audit?limit=0")]
    [TestCase("/api/v1/audit?limit=1001")]
    [TestCase("/api/v1/audit?scope=Not_An_App")]
    [TestCase("/api/v1/audit?from=yesterday")]
    public async Task A_malformed_audit_query_is_a_400(string path)
    {
        HttpResponseMessage response = await SendAsync(HttpMethod.Get, path);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
    }

    [TestCase("/api/v1/audit")]
    [TestCase("/api/v1/audit/verify")]
    public async Task The_audit_routes_require_the_admin_key(string path)
    {
        using HttpClient anonymous = _host.CreateClient();

        Assert.That((await anonymous.GetAsync(path)).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    [Test]
    public async Task Verify_reports_an_intact_chain_and_its_head_then_the_first_edited_event()
    {
        await PostAsync("/api/v1/apps/shop/secrets", new { key = "A_KEY", value = Value });
        await PostAsync("/api/v1/apps/shop/secrets", new { key = "B_KEY", value = Value });
        await PostAsync("/api/v1/apps/shop/secrets", new { key = "C_KEY", value = Value });
        JsonElement intact = await Json(await SendAsync(HttpMethod.Get, "/api/v1/audit/verify"));
        string lastHash = (await Json(await SendAsync(HttpMethod.Get, "/api/v1/audit"))).GetProperty("events")[2].GetProperty("hash").GetString()!;

        await RewriteActorOfAuditEventAsync(2, "user:someone-else");
        JsonElement broken = await Json(await SendAsync(HttpMethod.Get, "/api/v1/audit/verify"));

        Assert.Multiple(() =>
        {
            Assert.That(intact.GetProperty("intact").GetBoolean(), Is.True);
            Assert.That((intact.GetProperty("headSequence").GetInt64(), intact.GetProperty("headHash").GetString()), Is.EqualTo((3L, lastHash)));
            Assert.That(intact.GetProperty("firstBrokenSequence").ValueKind, Is.EqualTo(JsonValueKind.Null));
            Assert.That(broken.GetProperty("intact").GetBoolean(), Is.False);
            Assert.That(broken.GetProperty("firstBrokenSequence").GetInt64(), Is.EqualTo(2));
        });
    }

    private static long[] Seqs(JsonElement page) => [.. page.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("seq").GetInt64())];

    private async Task RewriteActorOfAuditEventAsync(long sequence, string actor)
    {
        if (store == SampleStore.PostgreSql)
        {
            await using var connection = new Npgsql.NpgsqlConnection(PostgreSqlConnectionString());
            await connection.ExecuteAsync($"UPDATE \"{_host.Schema}\".audit_events SET actor = @Actor WHERE seq = @Seq;", new { Actor = actor, Seq = sequence });
            return;
        }

        string file = Path.Combine(_host.DataPath, "secrets", "audit", "events.log");
        string[] lines = await File.ReadAllLinesAsync(file);
        int index = Array.FindIndex(lines, l => l.StartsWith($"{{\"seq\":{sequence},", StringComparison.Ordinal));
        lines[index] = lines[index].Replace("\"actor\":\"user:admin\"", $"\"actor\":\"{actor}\"", StringComparison.Ordinal);
        await File.WriteAllLinesAsync(file, lines);
    }
}
