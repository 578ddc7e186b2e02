namespace RootCx.Vault.Sql;

/// <summary>The option rules both SQL stores share, so their validators report problems alike.</summary>
internal static class SqlStoreOptionsRules
{
    /// <summary>Adds a message for every option that breaks a rule.</summary>
    /// <param name="failures">Where the messages go.</param>
    /// <param name="optionsType">The options class, to name each setting.</param>
    /// <param name="schemaNameIsValid">Whether the schema name matches the store's pattern.</param>
    /// <param name="schemaNameRule">The pattern, for the message.</param>
    /// <param name="commandTimeout">The command timeout.</param>
    public static void Check(List<string> failures, string optionsType, bool schemaNameIsValid, string schemaNameRule, TimeSpan commandTimeout)
    {
        if (!schemaNameIsValid)
        {
            failures.Add($"{optionsType}.SchemaName must match {schemaNameRule}.");
        }

        // Drivers take whole seconds, at least one.
        if (commandTimeout < TimeSpan.FromSeconds(1) || commandTimeout.TotalSeconds > int.MaxValue)
        {
            failures.Add($"{optionsType}.CommandTimeout must be at least one second.");
        }
    }
}
