namespace RootCx.Vault;

/// <summary>
/// Bad input: a request the vault refuses before anything is written. Hosts map every <see cref="Kind"/> to
/// 400 Bad Request; the message names the rule broken and is safe to show.
/// </summary>
public sealed class SecretValidationException : RootCxVaultException
{
    internal SecretValidationException(SecretValidationKind kind, string message)
        : base(message)
    {
        Kind = kind;
    }

    /// <summary>Gets which rule the input broke.</summary>
    public SecretValidationKind Kind { get; }
}
