using RootCx.Vault.Storage;
using RootCx.Vault.Testing;

namespace RootCx.Vault.Tests;

/// <summary>Keeps the test double honest: it must behave like a real store.</summary>
public sealed class InMemorySecretStoreConformanceTests : SecretStoreConformanceTests
{
    private InMemorySecretStore _store = null!;

    protected override ValueTask<ISecretStore> CreateStoreAsync() => ValueTask.FromResult<ISecretStore>(_store = new InMemorySecretStore());

    // A dictionary is always reachable.
    protected override ISecretStore? CreateUnreachableStore() => null;

    protected override ValueTask<IReadOnlyList<byte[]>> ReadRawStorageAsync() => ValueTask.FromResult(_store.RawEnvelopes);
}
