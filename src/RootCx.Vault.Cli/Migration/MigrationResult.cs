namespace RootCx.Vault.Cli.Migration;

/// <summary>What a migration did: counts, and the check's problems by scope and name (never a value).</summary>
internal sealed class MigrationResult
{
    /// <summary>Gets or sets the number of source scopes copied and checked.</summary>
    public int Scopes { get; set; }

    /// <summary>Gets or sets the number of source secrets read.</summary>
    public int Read { get; set; }

    /// <summary>Gets or sets the number of those the target did not hold yet and took.</summary>
    public int Written { get; set; }

    /// <summary>Gets or sets the number of deleted (recoverable) secrets the source holds, which are not copied.</summary>
    public int DeletedLeft { get; set; }

    /// <summary>Gets or sets the number of older versions the source holds, which are not copied.</summary>
    public int VersionsLeft { get; set; }

    /// <summary>Gets the check's problems, one line each.</summary>
    public List<string> Problems { get; } = [];
}
