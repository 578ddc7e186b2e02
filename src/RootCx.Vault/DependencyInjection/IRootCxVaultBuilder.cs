namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Returned by <c>AddRootCxVault()</c>; store packages add their verb on it.</summary>
public interface IRootCxVaultBuilder
{
    /// <summary>Gets the services the vault is registered in.</summary>
    IServiceCollection Services { get; }
}
