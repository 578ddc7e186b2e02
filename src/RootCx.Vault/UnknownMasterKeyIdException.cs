namespace RootCx.Vault;

/// <summary>
/// An envelope names a key id that is not in the configured key ring: the data was sealed under another master key.
/// Unlike other <see cref="SecretDecryptionException"/>s, nothing is wrong with the envelope; a key is missing.
/// </summary>
public sealed class UnknownMasterKeyIdException : SecretDecryptionException
{
    internal UnknownMasterKeyIdException(string message, MasterKeyId keyId)
        : base(message)
    {
        KeyId = keyId;
    }

    /// <summary>Gets the key id the envelope names.</summary>
    public MasterKeyId KeyId { get; }
}
