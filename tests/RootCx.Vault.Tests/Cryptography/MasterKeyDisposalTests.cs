using RootCx.Vault.Cryptography;
using RootCx.Vault.Testing;

namespace RootCx.Vault.Tests.Cryptography;

/// <summary>Key bytes and the ciphers made from them are released on every path, and only once.</summary>
public class MasterKeyDisposalTests
{
    private static readonly SecretScope Shop = SecretScope.ForApp("shop");
    private static readonly SecretName ApiKey = SecretName.Parse("API_KEY");

    [Test]
    public void Disposing_a_key_twice_is_harmless()
    {
        var key = MasterKey.FromHex(TestKeys.Primary, "test");
        SecretEnvelope.Seal(key, Shop, ApiKey, [1, 2, 3]);

        key.Dispose();

        Assert.DoesNotThrow(key.Dispose);
    }
}
