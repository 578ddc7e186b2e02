namespace RootCx.Vault;

/// <summary>An appId is malformed or reserved (see <see cref="SecretScope"/>).</summary>
public class InvalidAppIdException : SecretValidationException
{
    /// <summary>Initializes a new instance with no message.</summary>
    public InvalidAppIdException()
    {
    }

    /// <summary>Initializes a new instance with a message.</summary>
    /// <param name="message">The rule that was broken, without secret material.</param>
    public InvalidAppIdException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance with a message and the error that caused it.</summary>
    /// <param name="message">The rule that was broken, without secret material.</param>
    /// <param name="innerException">The cause.</param>
    public InvalidAppIdException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
