namespace RootCx.Vault.Tests.Vault;

/// <summary>An empty value is refused by the vault itself, whichever overload sets it, so every surface shares one rule.</summary>
public class SecretValueRuleTests : VaultTests
{
    private const string ExistingValue = "sk_live_existing_value_4d2a";
    private static readonly SecretScope Shop = SecretScope.ForApp("shop");

    private static IEnumerable<TestCaseData> EmptyValues()
    {
        yield return new TestCaseData(new Func<ISecretVault, string, ValueTask<SecretMetadata>>((vault, name) => vault.SetAsync(Shop, name, string.Empty)))
            .SetName("empty string");
        yield return new TestCaseData(new Func<ISecretVault, string, ValueTask<SecretMetadata>>((vault, name) => vault.SetAsync(Shop, name, ReadOnlyMemory<byte>.Empty)))
            .SetName("empty UTF-8 bytes");
    }

    [TestCaseSource(nameof(EmptyValues))]
    public async Task An_empty_value_is_refused_naming_the_rule_and_writes_nothing(Func<ISecretVault, string, ValueTask<SecretMetadata>> set)
    {
        await Harness.Vault.SetAsync(Shop, "EXISTING", ExistingValue);
        long before = await Harness.Store.GetChangeVersionAsync();

        // A new name and an existing one: neither is created nor overwritten.
        foreach (string name in new[] { "NEW_KEY", "EXISTING" })
        {
            var error = Assert.ThrowsAsync<SecretValidationException>(async () => await set(Harness.Vault, name), name);
            Assert.That(error!.Kind, Is.EqualTo(SecretValidationKind.InvalidSecretValue));
            Assert.That(error!.Message, Does.Contain("must not be empty"));
        }

        using SecretValue? existing = await Harness.Reader.GetAsync(Shop, "EXISTING");
        Assert.Multiple(async () =>
        {
            Assert.That(await Harness.Store.GetChangeVersionAsync(), Is.EqualTo(before));
            Assert.That((await Harness.Vault.ListAsync(Shop)).Select(s => (s.Name, s.Version)), Is.EqualTo(new[] { ("EXISTING", 1L) }));
            Assert.That(existing!.RevealString(), Is.EqualTo(ExistingValue));
        });
    }
}
