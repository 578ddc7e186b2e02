namespace RootCx.Vault.Sql;

/// <summary>Reads a SQL store's embedded install script and fills in its schema name.</summary>
internal static class InstallScript
{
    /// <param name="resourceName">The embedded resource.</param>
    /// <param name="schemaName">The bare schema name, for <c>{{schema_literal}}</c>.</param>
    /// <param name="quotedSchemaName">The quoted schema name, for <c>{{schema}}</c>.</param>
    public static string Load(string resourceName, string schemaName, string quotedSchemaName)
    {
        using Stream stream = typeof(InstallScript).Assembly.GetManifestResourceStream(resourceName)!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd()
            .Replace("{{schema_literal}}", schemaName, StringComparison.Ordinal)
            .Replace("{{schema}}", quotedSchemaName, StringComparison.Ordinal);
    }
}
