namespace RootCx.Vault;

/// <summary>
/// The base of every error the vault and its stores raise on purpose, so one <c>catch</c> covers them all. Messages
/// never contain a secret value or key.
/// </summary>
public abstract class RootCxVaultException : Exception
{
    /// <summary>Initializes a new instance with a message.</summary>
    /// <param name="message">What went wrong, without secret material.</param>
    protected RootCxVaultException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance with a message and the error that caused it.</summary>
    /// <param name="message">What went wrong, without secret material.</param>
    /// <param name="innerException">The cause.</param>
    protected RootCxVaultException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
