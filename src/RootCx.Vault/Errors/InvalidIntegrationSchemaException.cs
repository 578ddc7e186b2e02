namespace RootCx.Vault;

/// <summary>An integration's configSchema is malformed or maps a property to an invalid platform secret name.</summary>
public class InvalidIntegrationSchemaException : RootCxVaultException
{
    /// <summary>Initializes a new instance with no message.</summary>
    public InvalidIntegrationSchemaException()
    {
    }

    /// <summary>Initializes a new instance with a message.</summary>
    /// <param name="message">The problem, naming the property.</param>
    public InvalidIntegrationSchemaException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance with a message and the error that caused it.</summary>
    /// <param name="message">The problem, naming the property.</param>
    /// <param name="innerException">The cause.</param>
    public InvalidIntegrationSchemaException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
