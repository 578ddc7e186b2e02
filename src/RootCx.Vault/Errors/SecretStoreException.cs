namespace RootCx.Vault;

/// <summary>A store could not read or write a secret (for example a damaged file). Names the secret, never its value.</summary>
public class SecretStoreException : RootCxVaultException
{
    /// <summary>Initializes a new instance with no message.</summary>
    public SecretStoreException()
    {
    }

    /// <summary>Initializes a new instance with a message.</summary>
    /// <param name="message">The rule that was broken, without secret material.</param>
    public SecretStoreException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance with a message and the error that caused it.</summary>
    /// <param name="message">The rule that was broken, without secret material.</param>
    /// <param name="innerException">The cause.</param>
    public SecretStoreException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
