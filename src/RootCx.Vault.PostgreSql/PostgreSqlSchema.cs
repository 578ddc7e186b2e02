using System.Text.RegularExpressions;

namespace RootCx.Vault.PostgreSql;

/// <summary>The store's schema name, validated and double-quoted once, and the install script for it.</summary>
internal static partial class PostgreSqlSchema
{
    /// <summary>
    /// Lowercase only: PostgreSQL folds unquoted names to lowercase, so a DBA who types the name unquoted in psql
    /// reaches the same schema. 63 bytes is PostgreSQL's identifier limit.
    /// </summary>
    public const string NameRule = "[a-z_][a-z0-9_]{0,62}";

    public static bool IsValid(string? schemaName) => schemaName is not null && SchemaNamePattern().IsMatch(schemaName);

    public static string Quote(string schemaName) =>
        IsValid(schemaName)
            ? $"\"{schemaName}\""
            : throw new ArgumentException($"The schema name must match {NameRule}.", nameof(schemaName));

    /// <summary>Returns the install script (embedded resource Install.sql) for <paramref name="schemaName"/>.</summary>
    public static string InstallScript(string schemaName) =>
        Sql.InstallScript.Load("RootCx.Vault.PostgreSql.Install.sql", schemaName, Quote(schemaName));

    [GeneratedRegex("^[a-z_][a-z0-9_]{0,62}$")]
    private static partial Regex SchemaNamePattern();
}
