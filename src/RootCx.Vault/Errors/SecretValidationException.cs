namespace RootCx.Vault;

/// <summary>Bad input: a request the vault refuses before anything is written. Hosts map it to 400 Bad Request.</summary>
public class SecretValidationException : RootCxVaultException
{
    /// <summary>Initializes a new instance with no message.</summary>
    public SecretValidationException()
    {
    }

    /// <summary>Initializes a new instance with a message.</summary>
    /// <param name="message">The rule that was broken, without secret material.</param>
    public SecretValidationException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance with a message and the error that caused it.</summary>
    /// <param name="message">The rule that was broken, without secret material.</param>
    /// <param name="innerException">The cause.</param>
    public SecretValidationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
