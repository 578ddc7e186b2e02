namespace RootCx.Vault;

/// <summary>One property of an integration's configuration that is filled from a platform secret.</summary>
public sealed class PlatformSecretMapping
{
    internal PlatformSecretMapping(IReadOnlyList<string> path, SecretName secretName, bool required)
    {
        Path = path;
        SecretName = secretName;
        Required = required;
    }

    /// <summary>Gets the property's path from the configuration root, for example <c>["slack", "botToken"]</c>.</summary>
    public IReadOnlyList<string> Path { get; }

    /// <summary>Gets the platform secret that fills the property.</summary>
    public SecretName SecretName { get; }

    /// <summary>Gets whether the schema lists the property in its parent's <c>required</c> array.</summary>
    public bool Required { get; }

    /// <summary>Gets the path as dotted text, for messages (<c>slack.botToken</c>).</summary>
    public string PropertyPath => string.Join('.', Path);

    /// <summary>Describes the mapping.</summary>
    /// <returns>For example <c>slack.botToken ← SLACK_TOKEN</c>.</returns>
    public override string ToString() => $"{PropertyPath} ← {SecretName}";
}
