using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using RootCx.Vault.Cryptography;
using RootCx.Vault.Storage;

namespace RootCx.Vault.DependencyInjection;

/// <summary>Checks the options and the registrations once, at start-up, and reports every problem together.</summary>
internal sealed class RootCxVaultOptionsValidator(IServiceProviderIsService services) : IValidateOptions<RootCxVaultOptions>
{
    private static readonly TimeSpan MaxDeletedRetention = TimeSpan.FromDays(3650);
    private static readonly TimeSpan MaxPurgeInterval = TimeSpan.FromDays(7);

    public ValidateOptionsResult Validate(string? name, RootCxVaultOptions options)
    {
        var failures = new List<string>();
        if (!services.IsService(typeof(ISecretStore)))
        {
            failures.Add("No secret store is registered. Call a store verb on the builder returned by AddRootCxVault(), "
                + "for example .PersistToFileSystem(path).");
        }

        // Messages name the setting, never its content.
        if (!string.IsNullOrWhiteSpace(options.MasterKey) && !MasterKey.IsWellFormedHex(options.MasterKey))
        {
            failures.Add($"The master key ({RootCxVaultOptions.MasterKeyEnvironmentVariable} or RootCxVaultOptions.MasterKey) "
                + $"must be exactly {MasterKey.HexLength} hexadecimal characters (32 bytes).");
        }

        for (int i = 0; i < options.PreviousMasterKeys.Count; i++)
        {
            if (!MasterKey.IsWellFormedHex(options.PreviousMasterKeys[i]))
            {
                failures.Add($"RootCxVaultOptions.PreviousMasterKeys[{i}] must be exactly {MasterKey.HexLength} hexadecimal characters (32 bytes).");
            }
        }

        if (string.IsNullOrWhiteSpace(options.KeyFilePath))
        {
            failures.Add("RootCxVaultOptions.KeyFilePath must not be empty.");
        }

        if (options.ChangePollInterval <= TimeSpan.Zero)
        {
            failures.Add("RootCxVaultOptions.ChangePollInterval must be positive.");
        }

        if (options.ChangeCoalescingDelay < TimeSpan.Zero)
        {
            failures.Add("RootCxVaultOptions.ChangeCoalescingDelay must not be negative.");
        }

        if (options.MaxVersions is < 1 or > RootCxVaultOptions.MaxVersionsLimit)
        {
            failures.Add($"RootCxVaultOptions.MaxVersions must be between 1 and {RootCxVaultOptions.MaxVersionsLimit}.");
        }

        // Bounded so that deletion time plus retention stays a date, and the interval a timer can wait.
        if (options.DeletedRetention < TimeSpan.Zero || options.DeletedRetention > MaxDeletedRetention)
        {
            failures.Add("RootCxVaultOptions.DeletedRetention must be between zero (purge on delete) and 3650 days.");
        }

        if (options.DeletedPurgeInterval <= TimeSpan.Zero || options.DeletedPurgeInterval > MaxPurgeInterval)
        {
            failures.Add("RootCxVaultOptions.DeletedPurgeInterval must be positive and at most 7 days.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
