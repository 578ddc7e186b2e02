namespace RootCx.Vault.Cli.Hosting;

/// <summary>Where the secrets live: <c>file:PATH</c>, <c>postgresql:CONNECTION-STRING</c> or <c>sqlserver:CONNECTION-STRING</c>.</summary>
internal sealed record StoreLocation(StoreKind Kind, string Target)
{
    public const string EnvironmentVariable = "ROOTCX_VAULT_STORE";

    private static readonly (string Prefix, StoreKind Kind)[] Prefixes =
    [
        ("file:", StoreKind.FileSystem),
        ("postgresql:", StoreKind.PostgreSql),
        ("sqlserver:", StoreKind.SqlServer),
    ];

    /// <summary>Parses <c>--store</c>, falling back to <c>ROOTCX_VAULT_STORE</c>.</summary>
    /// <exception cref="UsageException">Neither is set, or the value names no known store.</exception>
    public static StoreLocation Resolve(string? option)
    {
        string? text = string.IsNullOrWhiteSpace(option) ? Environment.GetEnvironmentVariable(EnvironmentVariable) : option;
        if (string.IsNullOrWhiteSpace(text))
        {
            throw new UsageException($"No store given: pass --store file:PATH, postgresql:CONNECTION-STRING or sqlserver:CONNECTION-STRING, or set {EnvironmentVariable}.");
        }

        return Parse(text);
    }

    /// <summary>Parses a store given as text, with no fallback (for example the target of <c>migrate --to</c>).</summary>
    /// <exception cref="UsageException">The text names no known store.</exception>
    public static StoreLocation Parse(string text)
    {
        foreach ((string prefix, StoreKind kind) in Prefixes)
        {
            if (text.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) && text.Length > prefix.Length)
            {
                return new StoreLocation(kind, text[prefix.Length..]);
            }
        }

        // Never echo the value: a connection string may hold a password.
        throw new UsageException("The store must start with file:, postgresql: or sqlserver:, followed by a path or a connection string.");
    }
}
