using System.Text.Json.Nodes;

namespace RootCx.Vault.Tests.Runtime;

public class IntegrationConfigTests
{
    private const string SlackSchema = """
        {
          "type": "object",
          "required": ["botToken"],
          "properties": {
            "channel": { "type": "string" },
            "botToken": { "type": "string", "platformSecret": "SLACK_TOKEN" },
            "signing": {
              "type": "object",
              "required": ["secret"],
              "properties": {
                "secret": { "type": "string", "platformSecret": "SLACK_SIGNING_SECRET" },
                "legacy": { "type": "string", "platformSecret": "SLACK_LEGACY" }
              }
            }
          }
        }
        """;

    [Test]
    public void The_schema_yields_every_mapping_with_its_path_and_requiredness()
    {
        IntegrationConfigSchema schema = IntegrationConfigSchema.Parse(SlackSchema);

        Assert.That(schema.Mappings.Select(m => (m.PropertyPath, m.SecretName.Value, m.Required)), Is.EqualTo(new[]
        {
            ("botToken", "SLACK_TOKEN", true),
            ("signing.secret", "SLACK_SIGNING_SECRET", true),
            ("signing.legacy", "SLACK_LEGACY", false),
        }));
    }

    [Test]
    public async Task Mapped_properties_are_filled_from_the_platform_scope_nested_included()
    {
        await using var vault = new VaultHarness();
        await vault.Vault.SetAsync(SecretScope.Platform, "SLACK_TOKEN", "xoxb-token");
        await vault.Vault.SetAsync(SecretScope.Platform, "SLACK_SIGNING_SECRET", "signing");
        var plain = new JsonObject { ["channel"] = "#ops", ["botToken"] = "placeholder" };

        JsonObject resolved = await vault.Integrations.ResolveAsync(IntegrationConfigSchema.Parse(SlackSchema), plain);

        Assert.Multiple(() =>
        {
            Assert.That(resolved["channel"]!.GetValue<string>(), Is.EqualTo("#ops"));
            Assert.That(resolved["botToken"]!.GetValue<string>(), Is.EqualTo("xoxb-token"));
            Assert.That(resolved["signing"]!["secret"]!.GetValue<string>(), Is.EqualTo("signing"));
            Assert.That(resolved["signing"]!.AsObject().ContainsKey("legacy"), Is.False, "an optional mapping without its secret stays absent");
            Assert.That(plain["botToken"]!.GetValue<string>(), Is.EqualTo("placeholder"), "the plain configuration is not modified");
        });
    }

    [Test]
    public async Task A_missing_secret_for_a_required_property_names_the_property_and_the_secret()
    {
        await using var vault = new VaultHarness();
        await vault.Vault.SetAsync(SecretScope.Platform, "SLACK_TOKEN", "xoxb-token");

        var error = Assert.ThrowsAsync<MissingPlatformSecretException>(async () =>
            await vault.Integrations.ResolveAsync(IntegrationConfigSchema.Parse(SlackSchema), null));

        Assert.That(error!.Message, Does.Contain("signing.secret").And.Contain("SLACK_SIGNING_SECRET"));
        Assert.That(error.Mapping!.Required, Is.True);
    }

    [Test]
    public async Task App_secrets_never_fill_integration_properties()
    {
        await using var vault = new VaultHarness();
        await vault.Vault.SetAsync(SecretScope.ForApp("shop"), "SLACK_TOKEN", "app-scoped");

        Assert.ThrowsAsync<MissingPlatformSecretException>(async () =>
            await vault.Integrations.ResolveAsync(IntegrationConfigSchema.Parse(SlackSchema), null));
    }

    [TestCase("""{ "properties": { "token": { "platformSecret": "SLACK-TOKEN" } } }""", "'token' maps to an invalid platform secret name")]
    [TestCase("""{ "properties": { "a": { "properties": { "b": { "platformSecret": "1BAD" } } } } }""", "'a.b' maps to an invalid")]
    [TestCase("""{ "properties": { "token": { "platformSecret": 42 } } }""", "'token' maps to an invalid")]
    [TestCase("""{ "properties": { "token": { "platformSecret": "" } } }""", "'token' maps to an invalid")]
    [TestCase("""{ "properties": [] }""", "'properties' of 'configSchema' must be an object")]
    [TestCase("""{ "properties": """, "not valid JSON")]
    public void An_invalid_schema_is_rejected_when_it_is_read(string schema, string message)
    {
        var error = Assert.Throws<SecretValidationException>(() => IntegrationConfigSchema.Parse(schema));
        Assert.That(error!.Kind, Is.EqualTo(SecretValidationKind.InvalidIntegrationSchema));
        Assert.That(error!.Message, Does.Contain(message));
    }
}
