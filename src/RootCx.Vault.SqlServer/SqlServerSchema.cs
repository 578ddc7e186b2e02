using System.Text.RegularExpressions;

namespace RootCx.Vault.SqlServer;

/// <summary>The store's schema name, validated and bracket-quoted once, and the install script for it.</summary>
internal static partial class SqlServerSchema
{
    public const string NameRule = "[A-Za-z_][A-Za-z0-9_]{0,127}";

    public static bool IsValid(string? schemaName) => schemaName is not null && SchemaNamePattern().IsMatch(schemaName);

    public static string Quote(string schemaName) =>
        IsValid(schemaName)
            ? $"[{schemaName}]"
            : throw new ArgumentException($"The schema name must match {NameRule}.", nameof(schemaName));

    /// <summary>Returns the install script (embedded resource Install.sql) for <paramref name="schemaName"/>.</summary>
    public static string InstallScript(string schemaName) =>
        Sql.InstallScript.Load("RootCx.Vault.SqlServer.Install.sql", schemaName, Quote(schemaName));

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]{0,127}$")]
    private static partial Regex SchemaNamePattern();
}
