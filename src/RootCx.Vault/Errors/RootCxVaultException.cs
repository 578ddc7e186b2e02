namespace RootCx.Vault;

/// <summary>The base of every error the vault raises on purpose. Messages never contain a secret value or key.</summary>
public class RootCxVaultException : Exception
{
    /// <summary>Initializes a new instance with no message.</summary>
    public RootCxVaultException()
    {
    }

    /// <summary>Initializes a new instance with a message.</summary>
    /// <param name="message">What went wrong, without secret material.</param>
    public RootCxVaultException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance with a message and the error that caused it.</summary>
    /// <param name="message">What went wrong, without secret material.</param>
    /// <param name="innerException">The cause.</param>
    public RootCxVaultException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
