using Microsoft.Extensions.Options;
using RootCx.Vault.Sql;

namespace RootCx.Vault.PostgreSql;

/// <summary>Checks the store options once, at start-up, and reports every problem together.</summary>
internal sealed class PostgreSqlSecretStoreOptionsValidator : IValidateOptions<PostgreSqlSecretStoreOptions>
{
    public ValidateOptionsResult Validate(string? name, PostgreSqlSecretStoreOptions options)
    {
        var failures = new List<string>();
        SqlStoreOptionsRules.Check(failures, nameof(PostgreSqlSecretStoreOptions), PostgreSqlSchema.IsValid(options.SchemaName), PostgreSqlSchema.NameRule, options.CommandTimeout);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
