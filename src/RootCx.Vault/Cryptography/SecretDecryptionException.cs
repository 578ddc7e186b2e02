using System.Security.Cryptography;

namespace RootCx.Vault.Cryptography;

/// <summary>
/// An envelope failed to open: it was altered, copied from another secret or scope, damaged, or sealed under a
/// different key with the same key id. Names the secret, never its value.
/// </summary>
public class SecretDecryptionException : CryptographicException
{
    /// <summary>Initializes a new instance with no message.</summary>
    public SecretDecryptionException()
    {
    }

    /// <summary>Initializes a new instance with a message.</summary>
    /// <param name="message">What failed, without secret material.</param>
    public SecretDecryptionException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance with a message and the error that caused it.</summary>
    /// <param name="message">What failed, without secret material.</param>
    /// <param name="innerException">The cause.</param>
    public SecretDecryptionException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
