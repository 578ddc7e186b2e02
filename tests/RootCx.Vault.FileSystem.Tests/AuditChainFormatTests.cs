using RootCx.Vault.Audit;

namespace RootCx.Vault.FileSystem.Tests;

/// <summary>The chain's canonical bytes and hash are the ones docs/FORMAT.md works out by hand.</summary>
public class AuditChainFormatTests
{
    [Test]
    public void The_worked_example_of_the_format_page_hashes_as_documented()
    {
        var auditEvent = new SecretAuditEvent(
            new DateTimeOffset(2026, 3, 4, 5, 6, 7, TimeSpan.Zero), "user:admin", SecretAuditAction.Set, SecretScope.ForApp("shop"), "STRIPE_KEY", 1, new MasterKeyId(7), SecretAuditOutcome.Succeeded);

        Assert.That(
            Convert.ToHexStringLower(SecretAuditChain.CanonicalBytes(1, auditEvent)),
            Is.EqualTo("00000014726f6f7463782e7661756c742e61756469742f31000000000000000100064c2bc70badc00000000a757365723a61646d696e000000035365740000000473686f70010000000a5354524950455f4b4559010000000000000001010000000700000009537563636565646564"));
        Assert.That(
            Convert.ToHexStringLower(SecretAuditChain.Hash(1, auditEvent, SecretAuditChain.Genesis)),
            Is.EqualTo("6534e46618fbea0ccf2d0f261cb9d327695fce05f2c74403823f75147767e7e0"));
    }
}
