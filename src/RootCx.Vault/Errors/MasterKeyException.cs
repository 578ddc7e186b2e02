namespace RootCx.Vault;

/// <summary>The master key is missing, malformed, or does not match the data in the store. Raised at start-up.</summary>
public class MasterKeyException : RootCxVaultException
{
    /// <summary>Initializes a new instance with no message.</summary>
    public MasterKeyException()
    {
    }

    /// <summary>Initializes a new instance with a message.</summary>
    /// <param name="message">The rule that was broken, without secret material.</param>
    public MasterKeyException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance with a message and the error that caused it.</summary>
    /// <param name="message">The rule that was broken, without secret material.</param>
    /// <param name="innerException">The cause.</param>
    public MasterKeyException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
