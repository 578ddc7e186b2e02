namespace RootCx.Vault;

/// <summary>Which rule a <see cref="SecretValidationException"/> reports.</summary>
public enum SecretValidationKind
{
    /// <summary>The appId is empty, too long, reserved or holds characters outside <c>[a-z0-9_-]</c>.</summary>
    InvalidAppId = 1,

    /// <summary>The secret name is not an environment-variable name (<c>[A-Za-z_][A-Za-z0-9_]*</c>) of bounded length.</summary>
    InvalidSecretName = 2,

    /// <summary>The value is empty, not valid text, or holds a NUL character.</summary>
    InvalidSecretValue = 3,

    /// <summary>The value is larger than <see cref="ISecretVault.MaxValueUtf8Bytes"/> bytes of UTF-8.</summary>
    SecretValueTooLarge = 4,

    /// <summary>An integration's configSchema is not valid JSON or maps a platform secret wrongly.</summary>
    InvalidIntegrationSchema = 5,
}
