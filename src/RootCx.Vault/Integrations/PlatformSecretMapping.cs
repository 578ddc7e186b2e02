namespace RootCx.Vault;

/// <summary>One property of an integration's configuration that is filled from a platform secret.</summary>
/// <param name="Path">The property's path from the configuration root, for example <c>["slack", "botToken"]</c>.</param>
/// <param name="SecretName">The platform secret that fills it.</param>
/// <param name="Required">Whether the schema lists the property in its parent's <c>required</c> array.</param>
public sealed record PlatformSecretMapping(IReadOnlyList<string> Path, SecretName SecretName, bool Required)
{
    /// <summary>Gets the path as dotted text, for messages (<c>slack.botToken</c>).</summary>
    public string PropertyPath => string.Join('.', Path);
}
