namespace RootCx.Vault;

/// <summary>A secret value breaks the value rules (see <see cref="SecretValueRules"/>).</summary>
public class InvalidSecretValueException : SecretValidationException
{
    /// <summary>Initializes a new instance with no message.</summary>
    public InvalidSecretValueException()
    {
    }

    /// <summary>Initializes a new instance with a message.</summary>
    /// <param name="message">The rule that was broken, without secret material.</param>
    public InvalidSecretValueException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance with a message and the error that caused it.</summary>
    /// <param name="message">The rule that was broken, without secret material.</param>
    /// <param name="innerException">The cause.</param>
    public InvalidSecretValueException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
