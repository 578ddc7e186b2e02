using System.Text.Json;

namespace RootCx.Vault;

/// <summary>
/// The <c>platformSecret</c> mappings of an integration's <c>configSchema</c>, read once and validated:
/// <c>{ "properties": { "botToken": { "type": "string", "platformSecret": "SLACK_TOKEN" } } }</c>. Nested object
/// properties are followed.
/// </summary>
public sealed class IntegrationConfigSchema
{
    private IntegrationConfigSchema(IReadOnlyList<PlatformSecretMapping> mappings) => Mappings = mappings;

    /// <summary>Gets every mapping, in schema order.</summary>
    public IReadOnlyList<PlatformSecretMapping> Mappings { get; }

    /// <summary>Reads the mappings of a <c>configSchema</c> object.</summary>
    /// <param name="configSchema">The schema, as JSON text.</param>
    /// <returns>The validated mappings.</returns>
    /// <exception cref="SecretValidationException">The schema is malformed or maps a property to an invalid secret name.</exception>
    public static IntegrationConfigSchema Parse(string configSchema)
    {
        try
        {
            using var document = JsonDocument.Parse(configSchema);
            return Parse(document.RootElement);
        }
        catch (JsonException)
        {
            throw new SecretValidationException(SecretValidationKind.InvalidIntegrationSchema, "The configSchema is not valid JSON.");
        }
    }

    /// <inheritdoc cref="Parse(string)"/>
    public static IntegrationConfigSchema Parse(JsonElement configSchema)
    {
        var mappings = new List<PlatformSecretMapping>();
        Walk(configSchema, [], mappings);
        return new IntegrationConfigSchema(mappings);
    }

    private static void Walk(JsonElement schema, string[] path, List<PlatformSecretMapping> mappings)
    {
        if (schema.ValueKind != JsonValueKind.Object || !schema.TryGetProperty("properties", out JsonElement properties))
        {
            return;
        }

        if (properties.ValueKind != JsonValueKind.Object)
        {
            throw new SecretValidationException(SecretValidationKind.InvalidIntegrationSchema, $"'properties' of '{Describe(path)}' must be an object.");
        }

        HashSet<string> required = schema.TryGetProperty("required", out JsonElement list) && list.ValueKind == JsonValueKind.Array
            ? [.. list.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!)]
            : [];

        foreach (JsonProperty property in properties.EnumerateObject())
        {
            string[] propertyPath = [.. path, property.Name];
            if (property.Value.ValueKind == JsonValueKind.Object && property.Value.TryGetProperty("platformSecret", out JsonElement secret))
            {
                if (secret.ValueKind != JsonValueKind.String || !SecretName.IsValid(secret.GetString()))
                {
                    throw new SecretValidationException(SecretValidationKind.InvalidIntegrationSchema,
                        $"Property '{string.Join('.', propertyPath)}' maps to an invalid platform secret name: platformSecret must be an environment-variable name ([A-Za-z_][A-Za-z0-9_]*, at most {SecretName.MaxLength} characters).");
                }

                mappings.Add(new PlatformSecretMapping(propertyPath, SecretName.Parse(secret.GetString()), required.Contains(property.Name)));
            }

            Walk(property.Value, propertyPath, mappings);
        }
    }

    private static string Describe(string[] path) => path.Length == 0 ? "configSchema" : string.Join('.', path);
}
