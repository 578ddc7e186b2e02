using Microsoft.Extensions.DependencyInjection;
using RootCx.Vault.Testing;

namespace RootCx.Vault.Tests.Vault;

/// <summary>Version history through the vault: listed without values, restored inside the vault, bounded by MaxVersions.</summary>
public class HistoryTests : VaultTests
{
    private const string First = "sk_live_history_first_8a1f";
    private const string Second = "sk_live_history_second_3c9d";
    private static readonly SecretScope Shop = SecretScope.ForApp("shop");

    [Test]
    public async Task Versions_are_listed_newest_first_with_times_and_keys_and_no_value()
    {
        await Harness.Vault.SetAsync(Shop, "STRIPE_KEY", First);
        Harness.Clock.Advance(TimeSpan.FromMinutes(5));
        await Harness.Vault.SetAsync(Shop, "STRIPE_KEY", Second);

        IReadOnlyList<SecretVersionMetadata> versions = await Harness.Vault.ListVersionsAsync(Shop, "stripe_key");

        MasterKeyId key = TestKeys.IdOf(TestKeys.Primary);
        Assert.Multiple(async () =>
        {
            Assert.That(versions.Select(v => (v.Version, v.IsCurrent, v.KeyId)), Is.EqualTo(new[] { (2L, true, key), (1L, false, key) }));
            Assert.That(versions[0].WrittenAt - versions[1].WrittenAt, Is.EqualTo(TimeSpan.FromMinutes(5)));
            Assert.That(versions.Select(v => v.Actor), Is.All.Null, "no durable trail, no writer");
            Assert.That(Harness.AllLogText, Does.Not.Contain(First).And.Not.Contain(Second));
            Assert.That(await Harness.Vault.ListVersionsAsync(Shop, "MISSING"), Is.Empty);
        });
    }

    [Test]
    public async Task Restore_seals_an_older_value_again_as_the_newest_version_and_the_runtime_reads_it()
    {
        await Harness.Vault.SetAsync(Shop, "STRIPE_KEY", First);
        await Harness.Vault.SetAsync(Shop, "STRIPE_KEY", Second);
        Harness.Audit.Clear();

        SecretMetadata? restored = await Harness.Vault.RestoreVersionAsync(Shop, "STRIPE_KEY", 1, SecretPrecondition.IfVersion(2));

        using SecretValue? read = await Harness.Reader.GetAsync(Shop, "STRIPE_KEY");
        IReadOnlyList<SecretVersionMetadata> versions = await Harness.Vault.ListVersionsAsync(Shop, "STRIPE_KEY");
        Assert.Multiple(() =>
        {
            Assert.That(restored?.Version, Is.EqualTo(3));
            Assert.That(read!.RevealString(), Is.EqualTo(First));
            Assert.That(versions.Select(v => v.Version), Is.EqualTo(new long[] { 3, 2, 1 }), "the replaced value joins the history");
            Assert.That(Harness.Audit.Events.Select(e => (e.Action, e.Version, e.Outcome)), Does.Contain((SecretAuditAction.Restore, (long?)3, SecretAuditOutcome.Succeeded)));
            Assert.That(Harness.AllLogText, Does.Not.Contain(First).And.Not.Contain(Second));
        });
    }

    [Test]
    public async Task Restore_of_a_missing_version_or_secret_returns_null_and_a_stale_one_is_a_conflict_changing_nothing()
    {
        await Harness.Vault.SetAsync(Shop, "STRIPE_KEY", First);
        await Harness.Vault.SetAsync(Shop, "STRIPE_KEY", Second);

        var conflict = Assert.ThrowsAsync<SecretConflictException>(async () => await Harness.Vault.RestoreVersionAsync(Shop, "STRIPE_KEY", 1, SecretPrecondition.IfVersion(1)));

        using SecretValue? read = await Harness.Reader.GetAsync(Shop, "STRIPE_KEY");
        Assert.Multiple(async () =>
        {
            Assert.That(conflict!.CurrentVersion, Is.EqualTo(2));
            Assert.That(read!.RevealString(), Is.EqualTo(Second));
            Assert.That(await Harness.Vault.RestoreVersionAsync(Shop, "STRIPE_KEY", 7, SecretPrecondition.None), Is.Null);
            Assert.That(await Harness.Vault.RestoreVersionAsync(Shop, "MISSING", 1, SecretPrecondition.None), Is.Null);
            Assert.That((await Harness.Vault.ListVersionsAsync(Shop, "STRIPE_KEY")).Select(v => v.Version), Is.EqualTo(new long[] { 2, 1 }));
            Assert.That(Harness.Audit.Events.Select(e => (e.Action, e.Outcome)), Does.Contain((SecretAuditAction.Restore, SecretAuditOutcome.Conflict)));
        });
        Assert.ThrowsAsync<SecretValidationException>(async () => await Harness.Vault.RestoreVersionAsync(Shop, "not a name", 1, SecretPrecondition.None));
    }

    [Test]
    public async Task Max_versions_bounds_what_a_secret_keeps()
    {
        await using var vault = new VaultHarness(o => o.MaxVersions = 3);
        for (int i = 0; i < 6; i++)
        {
            await vault.Vault.SetAsync(Shop, "STRIPE_KEY", $"value-{i}");
        }

        Assert.That((await vault.Vault.ListVersionsAsync(Shop, "STRIPE_KEY")).Select(v => v.Version), Is.EqualTo(new long[] { 6, 5, 4 }));
    }

    [Test]
    public async Task The_writer_of_each_version_comes_from_the_durable_trail()
    {
        var actor = new NamedActor { Name = "user:alice" };
        await using var vault = new VaultHarness(options: null, services: s => s.AddSingleton<ISecretAuditLog>(new RecordingAuditLog()).AddSingleton<ISecretAuditActor>(actor));
        await vault.Vault.SetAsync(Shop, "STRIPE_KEY", First);
        actor.Name = "user:bob";
        await vault.Vault.SetAsync(Shop, "STRIPE_KEY", Second);
        actor.Name = "user:carol";
        await vault.Vault.RestoreVersionAsync(Shop, "STRIPE_KEY", 1, SecretPrecondition.None);

        IReadOnlyList<SecretVersionMetadata> versions = await vault.Vault.ListVersionsAsync(Shop, "STRIPE_KEY");

        Assert.That(versions.Select(v => (v.Version, v.Actor)), Is.EqualTo(new[] { (3L, "user:carol"), (2L, "user:bob"), (1L, "user:alice") }));
    }

    private sealed class NamedActor : ISecretAuditActor
    {
        public string Name { get; set; } = "";
    }

    [TestCase(0)]
    [TestCase(RootCxVaultOptions.MaxVersionsLimit + 1)]
    public void Max_versions_out_of_range_is_refused_at_start(int maxVersions)
    {
        var error = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(() => _ = new VaultHarness(o => o.MaxVersions = maxVersions));
        Assert.That(error!.Message, Does.Contain("MaxVersions"));
    }
}
