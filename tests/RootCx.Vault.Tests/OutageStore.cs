using RootCx.Vault.Storage;
using RootCx.Vault.Testing;

namespace RootCx.Vault.Tests;

/// <summary>A store whose every call times out while <see cref="Down"/> is set, as a database that is restarting.</summary>
internal sealed class OutageStore(ISecretStore inner) : DelegatingSecretStore(inner)
{
    public bool Down { get; set; }

    protected override ISecretStore Inner => Down ? throw new TimeoutException("The store did not answer.") : base.Inner;
}
