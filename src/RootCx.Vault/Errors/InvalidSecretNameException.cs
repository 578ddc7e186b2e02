namespace RootCx.Vault;

/// <summary>A secret name breaks the naming rules (see <see cref="SecretName"/>).</summary>
public class InvalidSecretNameException : SecretValidationException
{
    /// <summary>Initializes a new instance with no message.</summary>
    public InvalidSecretNameException()
    {
    }

    /// <summary>Initializes a new instance with a message.</summary>
    /// <param name="message">The rule that was broken, without secret material.</param>
    public InvalidSecretNameException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance with a message and the error that caused it.</summary>
    /// <param name="message">The rule that was broken, without secret material.</param>
    /// <param name="innerException">The cause.</param>
    public InvalidSecretNameException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
