namespace RootCx.Vault;

/// <summary>
/// The master key is missing, malformed, or does not match the store's key record. Raised at start-up (or at first
/// use without a host), where it should stop the process: hosts map it to 500 and an operator fixes the configuration.
/// </summary>
public sealed class MasterKeyException : RootCxVaultException
{
    internal MasterKeyException(string message)
        : base(message)
    {
    }

    internal MasterKeyException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
