using Microsoft.Extensions.Options;
using RootCx.Vault.Sql;

namespace RootCx.Vault.SqlServer;

/// <summary>Checks the store options once, at start-up, and reports every problem together.</summary>
internal sealed class SqlServerSecretStoreOptionsValidator : IValidateOptions<SqlServerSecretStoreOptions>
{
    public ValidateOptionsResult Validate(string? name, SqlServerSecretStoreOptions options)
    {
        var failures = new List<string>();
        SqlStoreOptionsRules.Check(failures, nameof(SqlServerSecretStoreOptions), SqlServerSchema.IsValid(options.SchemaName), SqlServerSchema.NameRule, options.CommandTimeout);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
