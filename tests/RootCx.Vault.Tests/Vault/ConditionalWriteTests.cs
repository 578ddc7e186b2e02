using System.Text;
using Microsoft.Extensions.Primitives;
using RootCx.Vault.Testing;

namespace RootCx.Vault.Tests.Vault;

/// <summary>The vault's conditional writes: each overload hands its precondition to the store, and a refusal changes nothing.</summary>
public class ConditionalWriteTests : VaultTests
{
    private const string Value = "sk_live_conditional_value_5b07";
    private const string Newer = "sk_live_conditional_newer_c2e4";
    private static readonly SecretScope Shop = SecretScope.ForApp("shop");

    private static IEnumerable<TestCaseData> StaleWrites()
    {
        SecretPrecondition stale = SecretPrecondition.IfVersion(1);
        yield return new TestCaseData(new Func<ISecretVault, Task>(v => v.SetAsync(Shop, "STRIPE_KEY", Value, stale).AsTask())).SetName("set of text");
        yield return new TestCaseData(new Func<ISecretVault, Task>(v => v.SetAsync(Shop, "STRIPE_KEY", Encoding.UTF8.GetBytes(Value), stale).AsTask())).SetName("set of bytes");
        yield return new TestCaseData(new Func<ISecretVault, Task>(v => v.SetAsync(Shop, "STRIPE_KEY", Value, SecretPrecondition.IfAbsent).AsTask())).SetName("create-only set");
        yield return new TestCaseData(new Func<ISecretVault, Task>(v => v.DeleteAsync(Shop, "STRIPE_KEY", stale).AsTask())).SetName("delete");
    }

    [TestCaseSource(nameof(StaleWrites))]
    public async Task A_write_from_a_stale_read_is_refused_naming_the_versions_and_changes_nothing(Func<ISecretVault, Task> staleWrite)
    {
        await Harness.Vault.SetAsync(Shop, "STRIPE_KEY", Value);
        await Harness.Vault.SetAsync(Shop, "STRIPE_KEY", Newer, SecretPrecondition.IfVersion(1));
        IChangeToken token = Harness.Changes.GetChangeToken(Shop);

        var conflict = Assert.ThrowsAsync<SecretConflictException>(() => staleWrite(Harness.Vault));

        using SecretValue? stored = await Harness.Reader.GetAsync(Shop, "STRIPE_KEY");
        Assert.Multiple(() =>
        {
            Assert.That(conflict!.CurrentVersion, Is.EqualTo(2));
            Assert.That((conflict.Scope, conflict.Name), Is.EqualTo((Shop, "STRIPE_KEY")));
            Assert.That(stored!.RevealString(), Is.EqualTo(Newer), "the newer value stays");
            Assert.That(token.HasChanged, Is.False, "nothing changed, so no watcher is told");
            Assert.That(conflict.Message + Harness.AllLogText, Does.Not.Contain(Value).And.Not.Contain(Newer));
        });
    }

    [Test]
    public async Task A_write_at_the_version_read_goes_ahead()
    {
        SecretMetadata created = await Harness.Vault.SetAsync(Shop, "STRIPE_KEY", Value, SecretPrecondition.IfAbsent);
        SecretMetadata replaced = await Harness.Vault.SetAsync(Shop, "STRIPE_KEY", Newer, SecretPrecondition.IfVersion(created.Version));

        Assert.That(replaced.Version, Is.EqualTo(2));
        Assert.That(await Harness.Vault.DeleteAsync(Shop, "stripe_key", SecretPrecondition.IfVersion(replaced.Version)), Is.True);
        Assert.That(await Harness.Vault.ListAsync(Shop), Is.Empty);
    }

    [Test]
    public void A_precondition_cannot_name_a_version_below_one() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => SecretPrecondition.IfVersion(0));
}
