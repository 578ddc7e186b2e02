using Microsoft.Extensions.Options;

namespace RootCx.Vault.DependencyInjection;

/// <summary>Fills <see cref="RootCxVaultOptions.MasterKey"/> from <c>ROOTCX_MASTER_KEY</c> when the host did not set it.</summary>
internal sealed class MasterKeyFromEnvironment : IPostConfigureOptions<RootCxVaultOptions>
{
    public void PostConfigure(string? name, RootCxVaultOptions options)
    {
        if (options.ReadMasterKeyFromEnvironment && string.IsNullOrWhiteSpace(options.MasterKey))
        {
            options.MasterKey = Environment.GetEnvironmentVariable(RootCxVaultOptions.MasterKeyEnvironmentVariable);
        }
    }
}
