using System.CommandLine;
using System.Globalization;

namespace RootCx.Vault.Cli.Hosting;

/// <summary>
/// The hosts' history and retention settings, which live in each host's configuration, not in the store: the tool has
/// to be told them, or a set from it would trim history the hosts keep, and a purge would go by another retention.
/// </summary>
internal sealed record LifecycleSettings(int? MaxVersions, int? RetentionDays)
{
    public const string MaxVersionsVariable = "ROOTCX_VAULT_MAX_VERSIONS";
    public const string RetentionDaysVariable = "ROOTCX_VAULT_DELETED_RETENTION_DAYS";

    public static readonly Option<int?> MaxVersionsOption = new("--max-versions")
    {
        Description = $"The hosts' MaxVersions: versions a secret keeps, the current one included (1 to {RootCxVaultOptions.MaxVersionsLimit}). Default: ${MaxVersionsVariable}, else {RootCxVaultOptions.DefaultMaxVersions}.",
        Recursive = true,
    };

    public static readonly Option<int?> RetentionDaysOption = new("--retention-days")
    {
        Description = $"The hosts' DeletedRetention in days: how long a deleted secret stays recoverable. Default: ${RetentionDaysVariable}, else 7; purge --expired needs it given.",
        Recursive = true,
    };

    /// <exception cref="UsageException">A variable that is not a whole number.</exception>
    public static LifecycleSettings Read(ParseResult parse) => new(
        parse.GetValue(MaxVersionsOption) ?? FromEnvironment(MaxVersionsVariable),
        parse.GetValue(RetentionDaysOption) ?? FromEnvironment(RetentionDaysVariable));

    /// <summary>Applies what was given; options validation then refuses what is out of range.</summary>
    public void ApplyTo(RootCxVaultOptions options)
    {
        if (MaxVersions is { } maxVersions)
        {
            options.MaxVersions = maxVersions;
        }

        if (RetentionDays is { } days)
        {
            options.DeletedRetention = TimeSpan.FromDays(days);
        }
    }

    private static int? FromEnvironment(string variable) => Environment.GetEnvironmentVariable(variable) switch
    {
        null or "" => null,
        string text when int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int value) => value,
        _ => throw new UsageException($"{variable} must be a whole number."),
    };
}
