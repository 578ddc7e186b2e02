namespace RootCx.Vault;

/// <summary>A required integration property maps to a platform secret that does not exist.</summary>
public class MissingPlatformSecretException : RootCxVaultException
{
    /// <summary>Initializes a new instance with no message.</summary>
    public MissingPlatformSecretException()
    {
    }

    /// <summary>Initializes a new instance with a message.</summary>
    /// <param name="message">The problem, naming the property and the secret.</param>
    public MissingPlatformSecretException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance with a message and the error that caused it.</summary>
    /// <param name="message">The problem, naming the property and the secret.</param>
    /// <param name="innerException">The cause.</param>
    public MissingPlatformSecretException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Gets the mapping whose secret is missing.</summary>
    public PlatformSecretMapping? Mapping { get; init; }
}
