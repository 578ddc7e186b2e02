using System.Text;
using RootCx.Vault.Testing;

namespace RootCx.Vault.Tests.Vault;

public class SecretVaultTests : VaultTests
{
    private const string Value = "sk_live_vault_test_value_93e1";
    private static readonly SecretScope Shop = SecretScope.ForApp("shop");

    [Test]
    public async Task Set_creates_then_updates_with_metadata_from_the_clock()
    {
        SecretMetadata created = await Harness.Vault.SetAsync(Shop, "STRIPE_KEY", Value);
        Harness.Clock.Advance(TimeSpan.FromMinutes(3));
        SecretMetadata updated = await Harness.Vault.SetAsync(Shop, "STRIPE_KEY", Value + "2");

        Assert.Multiple(() =>
        {
            Assert.That(created.Version, Is.EqualTo(1));
            Assert.That(updated.Version, Is.EqualTo(2));
            Assert.That(updated.CreatedAt, Is.EqualTo(created.CreatedAt));
            Assert.That(updated.UpdatedAt, Is.EqualTo(created.CreatedAt.AddMinutes(3)));
            Assert.That(updated.KeyId, Is.EqualTo(TestKeys.IdOf(TestKeys.Primary)));
        });
    }

    [Test]
    public async Task List_returns_names_and_metadata_ordered_by_name_and_never_a_value()
    {
        await Harness.Vault.SetAsync(Shop, "ZETA", Value);
        await Harness.Vault.SetAsync(Shop, "alpha", Value);
        await Harness.Vault.SetAsync(SecretScope.Platform, "PLATFORM_ONLY", Value);

        IReadOnlyList<SecretMetadata> listed = await Harness.Vault.ListAsync(Shop);

        Assert.That(listed.Select(s => s.Name), Is.EqualTo(new[] { "alpha", "ZETA" }));
        Assert.That(string.Join(";", listed), Does.Not.Contain(Value));
    }

    [Test]
    public async Task Delete_reports_whether_the_secret_existed()
    {
        await Harness.Vault.SetAsync(Shop, "STRIPE_KEY", Value);

        Assert.That(await Harness.Vault.DeleteAsync(Shop, "stripe_key"), Is.True);
        Assert.That(await Harness.Vault.DeleteAsync(Shop, "STRIPE_KEY"), Is.False);
        Assert.That(await Harness.Vault.ListAsync(Shop), Is.Empty);
    }

    [Test]
    public async Task The_reader_decrypts_one_secret_or_a_whole_scope()
    {
        await Harness.Vault.SetAsync(Shop, "B_SECRET", "b-value");
        await Harness.Vault.SetAsync(Shop, "A_SECRET", "a-välue ✓");
        await Harness.Vault.SetAsync(SecretScope.Platform, "A_SECRET", "platform");

        using SecretValue? one = await Harness.Reader.GetAsync(Shop, "a_secret");
        using SecretBundle all = await Harness.Reader.GetAllAsync(Shop);

        Assert.Multiple(() =>
        {
            Assert.That(one!.RevealString(), Is.EqualTo("a-välue ✓"));
            Assert.That(all.Select(v => v.Name), Is.EqualTo(new[] { "A_SECRET", "B_SECRET" }));
            Assert.That(all.Find("b_secret")!.RevealString(), Is.EqualTo("b-value"));
            Assert.That(all.Scope, Is.EqualTo(Shop));
        });
        Assert.That(await Harness.Reader.GetAsync(Shop, "MISSING"), Is.Null);
    }

    [Test]
    public async Task Plaintext_holders_redact_themselves_and_clear_their_buffer_on_dispose()
    {
        await Harness.Vault.SetAsync(Shop, "STRIPE_KEY", Value);
        SecretBundle bundle = await Harness.Reader.GetAllAsync(Shop);
        SecretValue value = bundle[0];

        Assert.That(value.ToString(), Is.EqualTo("STRIPE_KEY=[redacted]"));
        Assert.That(bundle.ToString(), Is.EqualTo("SecretBundle(shop: STRIPE_KEY)"));

        bundle.Dispose();
        Assert.Throws<ObjectDisposedException>(() => _ = value.Utf8.Length);
    }

    [Test]
    public async Task Disposing_a_value_zeroes_the_decrypted_bytes()
    {
        await Harness.Vault.SetAsync(Shop, "STRIPE_KEY", Value);
        SecretValue value = (await Harness.Reader.GetAsync(Shop, "STRIPE_KEY"))!;
        byte[] buffer = (byte[])typeof(SecretValue).GetField("_utf8", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!.GetValue(value)!;

        value.Dispose();

        Assert.That(buffer, Is.All.EqualTo(0));
    }

    [Test]
    public async Task A_value_of_the_maximum_size_is_accepted()
    {
        SecretMetadata stored = await Harness.Vault.SetAsync(Shop, "BIG", new string('x', SecretValueRules.MaxUtf8Bytes));
        Assert.That(stored.Version, Is.EqualTo(1));
    }

    private static IEnumerable<TestCaseData> BadInput()
    {
        yield return new TestCaseData("1BAD", Value, SecretValidationKind.InvalidSecretName, "must not start with a digit").SetName("invalid name");
        yield return new TestCaseData("TOO_BIG", new string('x', SecretValueRules.MaxUtf8Bytes + 1), SecretValidationKind.SecretValueTooLarge, "at most 32000 bytes").SetName("value over the limit");
        yield return new TestCaseData("TOO_BIG", new string('é', (SecretValueRules.MaxUtf8Bytes / 2) + 1), SecretValidationKind.SecretValueTooLarge, "at most 32000 bytes").SetName("value over the limit in UTF-8 bytes only");
        yield return new TestCaseData("NUL", "abc\0def", SecretValidationKind.InvalidSecretValue, "NUL").SetName("value with NUL");
        yield return new TestCaseData("SURROGATE", "abc\ud800def", SecretValidationKind.InvalidSecretValue, "unpaired surrogate").SetName("value with an unpaired surrogate");
    }

    [TestCaseSource(nameof(BadInput))]
    public async Task Bad_input_is_refused_with_the_rule_and_writes_nothing(string name, string value, SecretValidationKind kind, string rule)
    {
        await Harness.Vault.SetAsync(Shop, "EXISTING", Value);
        long before = await Harness.Store.GetChangeVersionAsync();

        var thrown = Assert.ThrowsAsync<SecretValidationException>(async () => await Harness.Vault.SetAsync(Shop, name, value));

        Assert.Multiple(async () =>
        {
            Assert.That(thrown!.Kind, Is.EqualTo(kind));
            Assert.That(thrown.Message, Does.Contain(rule));
            Assert.That(thrown.Message, Does.Not.Contain("abc").And.Not.Contain("xxxx"));
            Assert.That(await Harness.Store.GetChangeVersionAsync(), Is.EqualTo(before));
            Assert.That((await Harness.Vault.ListAsync(Shop)).Select(s => s.Name), Is.EqualTo(new[] { "EXISTING" }));
        });
    }

    [Test]
    public void Invalid_utf8_bytes_are_refused()
    {
        var error = Assert.ThrowsAsync<SecretValidationException>(async () =>
            await Harness.Vault.SetAsync(Shop, "RAW", new byte[] { 0x61, 0xff, 0x62 }));
        Assert.That(error!.Kind, Is.EqualTo(SecretValidationKind.InvalidSecretValue));
        Assert.That(error!.Message, Does.Contain("valid UTF-8"));
    }

    [Test]
    public async Task A_tampered_stored_envelope_fails_to_decrypt_naming_the_secret_only()
    {
        await Harness.Vault.SetAsync(Shop, "STRIPE_KEY", Value);
        var stored = (await Harness.Store.GetAsync(Shop, SecretName.Parse("STRIPE_KEY")))!;
        byte[] tampered = stored.Envelope.ToArray();
        tampered[^1] ^= 0x40;
        await Harness.Store.SetAsync(Shop, stored.Name, tampered, stored.KeyId, stored.UpdatedAt, SecretPrecondition.None, RootCxVaultOptions.DefaultMaxVersions);

        var error = Assert.ThrowsAsync<SecretDecryptionException>(async () => await Harness.Reader.GetAllAsync(Shop));
        Assert.That(error, Is.InstanceOf<RootCxVaultException>(), "one catch covers every vault error");

        Assert.That(error!.Message, Does.Contain("STRIPE_KEY").And.Contain("shop").And.Not.Contain(Value));
        Assert.That(Harness.AllLogText, Does.Contain("STRIPE_KEY").And.Not.Contain(Value));
    }

    [Test]
    public async Task Logs_tell_what_happened_without_any_value()
    {
        await Harness.Vault.SetAsync(Shop, "STRIPE_KEY", Value);
        await Harness.Vault.SetAsync(SecretScope.Platform, "SLACK_TOKEN", Encoding.UTF8.GetBytes(Value));
        using (await Harness.Reader.GetAllAsync(Shop))
        using (await Harness.Reader.GetAsync(SecretScope.Platform, "SLACK_TOKEN"))
        {
        }

        await Harness.Vault.DeleteAsync(Shop, "STRIPE_KEY");

        string logs = Harness.AllLogText;
        Assert.That(logs, Does.Contain("STRIPE_KEY").And.Contain("SLACK_TOKEN").And.Contain("deleted").And.Contain("Decrypted"));
        Assert.That(logs, Does.Not.Contain(Value));
    }
}
