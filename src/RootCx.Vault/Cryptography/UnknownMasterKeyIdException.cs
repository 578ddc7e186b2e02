namespace RootCx.Vault.Cryptography;

/// <summary>
/// An envelope names a key id that is not in the configured key ring: the data was sealed under another master key.
/// Unlike <see cref="SecretDecryptionException"/>, nothing is wrong with the envelope; a key is missing.
/// </summary>
public class UnknownMasterKeyIdException : SecretDecryptionException
{
    /// <summary>Initializes a new instance with no message.</summary>
    public UnknownMasterKeyIdException()
    {
    }

    /// <summary>Initializes a new instance with a message.</summary>
    /// <param name="message">What failed, without secret material.</param>
    public UnknownMasterKeyIdException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance with a message and the error that caused it.</summary>
    /// <param name="message">What failed, without secret material.</param>
    /// <param name="innerException">The cause.</param>
    public UnknownMasterKeyIdException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Gets the key id the envelope names.</summary>
    public MasterKeyId KeyId { get; init; }
}
