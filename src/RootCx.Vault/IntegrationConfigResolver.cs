using System.Text.Json.Nodes;

namespace RootCx.Vault;

/// <summary>
/// Builds an integration's configuration for its backend: the plain configuration with every mapped property filled
/// from the platform scope, in memory.
/// </summary>
/// <remarks>
/// A mapped secret always replaces what the plain configuration holds for that property. A missing secret is an
/// error when the schema requires the property; otherwise the property keeps its plain value (or stays absent), so
/// optional integrations keep working without the secret.
/// </remarks>
public sealed class IntegrationConfigResolver(ISecretReader reader)
{
    /// <summary>Resolves the mappings of <paramref name="schema"/> into a copy of <paramref name="config"/>.</summary>
    /// <param name="schema">The integration's validated schema.</param>
    /// <param name="config">The integration's plain configuration; not modified.</param>
    /// <param name="cancellationToken">Cancels the reads.</param>
    /// <returns>The resolved configuration, holding plaintext: hand it to the integration and drop it.</returns>
    /// <exception cref="MissingPlatformSecretException">A required property's platform secret does not exist.</exception>
    public async ValueTask<JsonObject> ResolveAsync(IntegrationConfigSchema schema, JsonObject? config, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(schema);
        var resolved = (JsonObject?)config?.DeepClone() ?? [];
        foreach (PlatformSecretMapping mapping in schema.Mappings)
        {
            using SecretValue? secret = await reader.GetAsync(SecretScope.Platform, mapping.SecretName.Value, cancellationToken).ConfigureAwait(false);
            if (secret is null)
            {
                if (mapping.Required)
                {
                    throw new MissingPlatformSecretException(
                        $"Property '{mapping.PropertyPath}' is required and maps to platform secret '{mapping.SecretName}', which does not exist.",
                        mapping);
                }

                continue;
            }

            ParentOf(resolved, mapping.Path)[mapping.Path[^1]] = secret.RevealString();
        }

        return resolved;
    }

    private static JsonObject ParentOf(JsonObject root, IReadOnlyList<string> path)
    {
        JsonObject parent = root;
        foreach (string segment in path.Take(path.Count - 1))
        {
            if (parent[segment] is not JsonObject child)
            {
                parent[segment] = child = [];
            }

            parent = child;
        }

        return parent;
    }
}
