using System.Globalization;

namespace RootCx.Vault.Cli.Console;

/// <summary>How tables show a time: UTC to the second, the same in every culture.</summary>
internal static class UtcTime
{
    public static string Format(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
}
