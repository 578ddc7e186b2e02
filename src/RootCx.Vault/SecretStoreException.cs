namespace RootCx.Vault;

/// <summary>
/// A store could not do what was asked: it cannot be reached, a file is damaged, or an envelope names a key the store
/// was not set up with. The driver's error (an <c>NpgsqlException</c>, <c>SqlException</c>, <c>IOException</c>…) is the
/// inner exception. Hosts map it to 503 Service Unavailable. Names the secret or the store, never a value.
/// </summary>
public sealed class SecretStoreException : RootCxVaultException
{
    /// <summary>Initializes a new instance with a message.</summary>
    /// <param name="message">What failed, without secret material or credentials.</param>
    public SecretStoreException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance with a message and the driver's error that caused it.</summary>
    /// <param name="message">What failed, without secret material or credentials.</param>
    /// <param name="innerException">The driver's error.</param>
    public SecretStoreException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
