namespace RootCx.Vault;

/// <summary>A secret value is larger than <see cref="SecretValueRules.MaxUtf8Bytes"/>.</summary>
public class SecretValueTooLargeException : InvalidSecretValueException
{
    /// <summary>Initializes a new instance with no message.</summary>
    public SecretValueTooLargeException()
    {
    }

    /// <summary>Initializes a new instance with a message.</summary>
    /// <param name="message">The rule that was broken, without secret material.</param>
    public SecretValueTooLargeException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance with a message and the error that caused it.</summary>
    /// <param name="message">The rule that was broken, without secret material.</param>
    /// <param name="innerException">The cause.</param>
    public SecretValueTooLargeException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
