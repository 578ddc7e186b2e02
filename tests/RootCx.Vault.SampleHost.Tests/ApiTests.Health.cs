using System.Net;

namespace RootCx.Vault.SampleHost.Tests;

/// <summary>The health endpoint: anonymous, status only.</summary>
public partial class ApiTests
{
    [Test]
    public async Task Healthz_answers_the_status_alone_without_credentials()
    {
        await PostAsync("/api/v1/apps/shop/secrets", new { key = "STRIPE_KEY", value = Value });
        using HttpClient anonymous = _host.CreateClient();

        using HttpResponseMessage health = await anonymous.GetAsync("/healthz");

        Assert.That(health.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await health.Content.ReadAsStringAsync(), Is.EqualTo("Healthy"), "no reasons, key ids or names");
    }
}
