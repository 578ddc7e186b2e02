namespace RootCx.Vault;

/// <summary>
/// An envelope failed to open: it was altered, copied from another secret or scope, damaged, or sealed under a
/// different key with the same key id. Names the secret, never its value.
/// </summary>
public class SecretDecryptionException : RootCxVaultException
{
    private protected SecretDecryptionException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }

    internal static SecretDecryptionException Create(string message, Exception? innerException = null) => new(message, innerException);
}
