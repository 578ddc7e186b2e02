using Microsoft.Extensions.Options;

namespace RootCx.Vault.Sql;

/// <summary>The options both SQL stores have, so one validator checks them.</summary>
internal interface ISqlStoreOptions
{
    string SchemaName { get; }

    TimeSpan CommandTimeout { get; }
}

/// <summary>Checks a SQL store's options once, at start-up, and reports every problem together.</summary>
/// <param name="schemaNameRule">The pattern a schema name must match, for the message.</param>
/// <param name="isValidSchemaName">Whether a schema name matches it.</param>
internal sealed class SqlStoreOptionsValidator<TOptions>(string schemaNameRule, Func<string?, bool> isValidSchemaName) : IValidateOptions<TOptions>
    where TOptions : class, ISqlStoreOptions
{
    public ValidateOptionsResult Validate(string? name, TOptions options)
    {
        var failures = new List<string>();
        if (!isValidSchemaName(options.SchemaName))
        {
            failures.Add($"{typeof(TOptions).Name}.SchemaName must match {schemaNameRule}.");
        }

        // Drivers take whole seconds, at least one.
        if (options.CommandTimeout < TimeSpan.FromSeconds(1) || options.CommandTimeout.TotalSeconds > int.MaxValue)
        {
            failures.Add($"{typeof(TOptions).Name}.CommandTimeout must be at least one second.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
