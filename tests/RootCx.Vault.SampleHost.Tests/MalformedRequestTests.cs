using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;

namespace RootCx.Vault.SampleHost.Tests;

/// <summary>
/// Bodies Kestrel cannot read, sent over raw sockets to a real Kestrel: the client's fault, so a 400 (or 408) as
/// ProblemDetails with the security headers of every response, and nothing at error level in the log.
/// </summary>
public class MalformedRequestTests
{
    private const string Body = """{"key":"STRIPE_KEY","value":"sk_live_raw_value_0c4e"}""";

    private SampleHostFactory _host = null!;

    [SetUp]
    public void StartServer()
    {
        _host = new SampleHostFactory();
        _host.UseKestrel(0);
        _host.StartServer();
    }

    [TearDown]
    public void StopServer() => _host.Dispose();

    private static IEnumerable<TestCaseData> BrokenFraming()
    {
        yield return new TestCaseData("Transfer-Encoding: chunked\r\n", $"zz\r\n{Body}\r\n0\r\n\r\n").SetName("broken chunked encoding");
        yield return new TestCaseData($"Content-Length: {Body.Length}\r\nTransfer-Encoding: chunked\r\n", Body).SetName("Content-Length with Transfer-Encoding");
    }

    [TestCaseSource(nameof(BrokenFraming))]
    public async Task A_body_with_broken_framing_is_a_bad_request(string framing, string body)
    {
        using RawHttpConnection connection = await RawHttpConnection.OpenAsync(_host.ClientOptions.BaseAddress);
        await connection.SendAsync(Head(framing) + body);

        await AssertRefusedAsync(await connection.ReadResponseAsync(), 400);
    }

    [Test]
    public async Task A_body_that_stalls_times_out_with_408()
    {
        using RawHttpConnection connection = await RawHttpConnection.OpenAsync(_host.ClientOptions.BaseAddress);

        // Kestrel's MinRequestBodyDataRate (240 bytes/s after a 5 s grace period) gives up on the rest of the body.
        await connection.SendAsync(Head($"Content-Length: {Body.Length}\r\n") + Body[..10]);

        await AssertRefusedAsync(await connection.ReadResponseAsync(), 408);
    }

    [Test]
    public async Task A_client_that_hangs_up_mid_body_is_not_logged_as_an_error()
    {
        using (RawHttpConnection connection = await RawHttpConnection.OpenAsync(_host.ClientOptions.BaseAddress))
        {
            await connection.SendAsync(Head($"Content-Length: {Body.Length}\r\n") + Body[..10]);
        }

        var waited = Stopwatch.StartNew();
        while (!_host.Logs.Any(l => l.Contains("Request finished", StringComparison.Ordinal)) && waited.Elapsed < RawHttpConnection.Patience)
        {
            await Task.Delay(50);
        }

        Assert.That(_host.Logs, Has.Some.Contains("Request finished"), "the server finished the request");
        await AssertNoErrorAndNothingWrittenAsync();
    }

    private static string Head(string framing) =>
        "POST /api/v1/apps/shop/secrets HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Type: application/json\r\n"
        + $"Authorization: Bearer {SampleHostFactory.ApiKey}\r\n{framing}\r\n";

    private async Task AssertRefusedAsync(RawHttpResponse response, int status)
    {
        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(status));
            Assert.That(response.Headers["Content-Type"], Does.StartWith("application/problem+json"));
            Assert.That(JsonDocument.Parse(response.Body).RootElement.GetProperty("status").GetInt32(), Is.EqualTo(status));
            Assert.That(response.Body, Does.Not.Contain("sk_live"));
            Assert.That(response.Headers, Does.ContainKey("Content-Security-Policy").And.ContainKey("X-Frame-Options").And.ContainKey("Referrer-Policy"));
            Assert.That(response.Headers.GetValueOrDefault("X-Content-Type-Options"), Is.EqualTo("nosniff"));
            Assert.That(response.Headers.GetValueOrDefault("Cache-Control"), Is.EqualTo("no-store"));
        });
        await AssertNoErrorAndNothingWrittenAsync();
    }

    private async Task AssertNoErrorAndNothingWrittenAsync()
    {
        Assert.That(_host.Logs, Has.None.StartsWith("Error ").And.None.StartsWith("Critical "), "a client's fault is not a server error");
        Assert.That(await _host.Services.GetRequiredService<ISecretVault>().ListAsync(SecretScope.ForApp("shop")), Is.Empty);
    }
}
