using System.Text.RegularExpressions;

namespace RootCx.Vault.SqlServer;

/// <summary>The store's schema name, validated and bracket-quoted once, and the install script for it.</summary>
internal static partial class SqlServerSchema
{
    public static string Quote(string schemaName) =>
        SchemaNamePattern().IsMatch(schemaName)
            ? $"[{schemaName}]"
            : throw new ArgumentException("The schema name must match [A-Za-z_][A-Za-z0-9_]{0,127}.", nameof(schemaName));

    /// <summary>Returns the install script (embedded resource Install.sql) for <paramref name="schemaName"/>.</summary>
    public static string InstallScript(string schemaName) =>
        Sql.InstallScript.Load("RootCx.Vault.SqlServer.Install.sql", schemaName, Quote(schemaName));

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]{0,127}$")]
    private static partial Regex SchemaNamePattern();
}
