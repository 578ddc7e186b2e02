namespace RootCx.Vault;

/// <summary>A required integration property maps to a platform secret that does not exist.</summary>
public sealed class MissingPlatformSecretException : RootCxVaultException
{
    internal MissingPlatformSecretException(string message, PlatformSecretMapping mapping)
        : base(message)
    {
        Mapping = mapping;
    }

    /// <summary>Gets the mapping whose secret is missing.</summary>
    public PlatformSecretMapping Mapping { get; }
}
