using System.Text.Unicode;

namespace RootCx.Vault;

/// <summary>The rules a secret value must follow.</summary>
/// <remarks>
/// A value is non-empty UTF-8 text without NUL characters, because app secrets become environment variables: no
/// operating system can carry a NUL in one, and on Windows setting a variable to an empty value removes it.
/// The size limit, <see cref="ISecretVault.MaxValueUtf8Bytes"/>, stays below Windows' 32,767-character limit for one
/// environment variable, so every value the vault accepts can also be injected; it still fits PEM certificate chains
/// and service-account JSON.
/// </remarks>
internal static class SecretValueRules
{
    public const int MaxUtf8Bytes = ISecretVault.MaxValueUtf8Bytes;

    /// <exception cref="SecretValidationException">The value breaks a rule; the message names the rule, never the value.</exception>
    internal static void Validate(ReadOnlySpan<byte> utf8)
    {
        if (utf8.IsEmpty)
        {
            throw new SecretValidationException(SecretValidationKind.InvalidSecretValue, "A secret value must not be empty; delete the secret to remove it.");
        }

        if (utf8.Length > MaxUtf8Bytes)
        {
            throw new SecretValidationException(SecretValidationKind.SecretValueTooLarge,
                $"A secret value must be at most {MaxUtf8Bytes} bytes of UTF-8; this one is {utf8.Length} bytes.");
        }

        if (!Utf8.IsValid(utf8))
        {
            throw new SecretValidationException(SecretValidationKind.InvalidSecretValue, "A secret value must be valid UTF-8 text.");
        }

        if (utf8.Contains((byte)0))
        {
            throw new SecretValidationException(SecretValidationKind.InvalidSecretValue, "A secret value must not contain NUL characters (environment variables cannot carry them).");
        }
    }
}
