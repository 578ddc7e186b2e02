using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using RootCx.Vault.Testing;

namespace RootCx.Vault.Tests.Auditing;

/// <summary>Each audited operation emits one event, with its actor and outcome, and never its value.</summary>
public class AuditTrailTests : VaultTests
{
    private const string Value = "sk_live_audited_value_9f31c7";
    private static readonly SecretScope Shop = SecretScope.ForApp("shop");

    [Test]
    public async Task A_set_is_audited_with_its_version_key_and_time()
    {
        SecretMetadata set = await Harness.Vault.SetAsync(Shop, "STRIPE_KEY", Value);

        SecretAuditEvent audited = Harness.Audit.Events.Single();
        Assert.Multiple(() =>
        {
            Assert.That((audited.Action, audited.Scope, audited.Name), Is.EqualTo((SecretAuditAction.Set, Shop, "STRIPE_KEY")));
            Assert.That((audited.Version, audited.KeyId), Is.EqualTo(((long?)set.Version, (MasterKeyId?)set.KeyId)));
            Assert.That(audited.Outcome, Is.EqualTo(SecretAuditOutcome.Succeeded));
            Assert.That(audited.Timestamp, Is.EqualTo(Harness.Clock.GetUtcNow()), "the time comes from the vault's TimeProvider");
            Assert.That(audited.Actor, Does.StartWith("process:"), "without a host actor, the process acts");
        });
    }

    [Test]
    public async Task A_refused_conditional_write_is_audited_as_a_conflict_with_the_current_version()
    {
        await Harness.Vault.SetAsync(Shop, "STRIPE_KEY", Value);
        await Harness.Vault.SetAsync(Shop, "STRIPE_KEY", Value);
        Harness.Audit.Clear();

        Assert.ThrowsAsync<SecretConflictException>(() => Harness.Vault.SetAsync(Shop, "STRIPE_KEY", Value, SecretPrecondition.IfVersion(1)).AsTask());
        Assert.ThrowsAsync<SecretConflictException>(() => Harness.Vault.DeleteAsync(Shop, "STRIPE_KEY", SecretPrecondition.IfVersion(1)).AsTask());

        Assert.That(
            Harness.Audit.Events.Select(e => (e.Action, e.Outcome, e.Version)),
            Is.EqualTo(new[] { (SecretAuditAction.Set, SecretAuditOutcome.Conflict, (long?)2), (SecretAuditAction.Delete, SecretAuditOutcome.Conflict, (long?)2) }));
    }

    [Test]
    public async Task Deletes_reads_and_environments_are_audited_in_order()
    {
        await Harness.Vault.SetAsync(Shop, "STRIPE_KEY", Value);
        using (await Harness.Reader.GetAsync(Shop, "STRIPE_KEY"))
        using (await Harness.Reader.GetAllAsync(Shop))
        using (await Harness.Injector.BuildEnvironmentAsync("shop"))
        {
        }

        await Harness.Vault.DeleteAsync(Shop, "STRIPE_KEY");

        Assert.That(
            Harness.Audit.Events.Select(e => (e.Action, e.Scope.Namespace, e.Name)),
            Is.EqualTo(new[]
            {
                (SecretAuditAction.Set, "shop", (string?)"STRIPE_KEY"),
                (SecretAuditAction.Read, "shop", "STRIPE_KEY"),
                (SecretAuditAction.ReadAll, "shop", null),
                (SecretAuditAction.ReadAll, "shop", null),
                (SecretAuditAction.BuildEnvironment, "shop", null),
                (SecretAuditAction.Delete, "shop", "STRIPE_KEY"),
            }));
        Assert.That(Harness.Audit.Events, Has.All.Matches<SecretAuditEvent>(e => e.Outcome == SecretAuditOutcome.Succeeded));
    }

    [Test]
    public async Task Rotation_is_audited_once_per_resealed_secret_under_the_new_key()
    {
        var store = new InMemorySecretStore();
        await using (var old = new VaultHarness(TestKeys.Secondary, store))
        {
            await old.Vault.SetAsync(Shop, "A_KEY", Value);
            await old.Vault.SetAsync(SecretScope.Platform, "TOKEN", Value);
        }

        await using var rotating = new VaultHarness(TestKeys.Primary, store, null, TestKeys.Secondary);
        await rotating.Vault.RotateAsync();

        IReadOnlyList<SecretAuditEvent> rotated = rotating.Audit.Events;
        Assert.That(rotated.Select(e => (e.Action, e.Name, e.Version)), Is.EquivalentTo(new[] { (SecretAuditAction.Rotate, (string?)"A_KEY", (long?)2), (SecretAuditAction.Rotate, "TOKEN", 2) }));
        Assert.That(rotated.Select(e => e.KeyId).Distinct().Single(), Is.EqualTo((await store.GetKeyIdsAsync()).Single()), "the old key is retired, the new one seals both");
    }

    [Test]
    public async Task A_rotation_stopped_by_a_secret_it_cannot_open_records_that_secret_as_failed()
    {
        var store = new InMemorySecretStore();
        await using (var old = new VaultHarness(TestKeys.Secondary, store))
        {
            SecretMetadata set = await old.Vault.SetAsync(Shop, "A_KEY", Value);
            await store.SetAsync(Shop, SecretName.Parse("A_KEY"), TestKeys.FakeEnvelope(set.KeyId), set.KeyId, DateTimeOffset.UtcNow, SecretPrecondition.None, RootCxVaultOptions.DefaultMaxVersions);
        }

        await using var rotating = new VaultHarness(TestKeys.Primary, store, null, TestKeys.Secondary);
        Assert.CatchAsync<SecretDecryptionException>(async () => await rotating.Vault.RotateAsync());

        SecretAuditEvent failed = rotating.Audit.Events.Single();
        Assert.That((failed.Action, failed.Name, failed.Version, failed.Outcome), Is.EqualTo((SecretAuditAction.Rotate, (string?)"A_KEY", (long?)2, SecretAuditOutcome.Failed)));
    }

    [Test]
    public async Task A_failing_sink_leaves_the_operation_standing_logs_an_error_and_the_other_sinks_still_record()
    {
        var failing = new RecordingAuditSink { FailWith = new IOException("audit disk full") };
        var after = new RecordingAuditSink();
        var services = new ServiceCollection();
        services.AddLogging();
        var logs = new LogLines();
        services.AddSingleton<ILoggerProvider>(logs);
        services.AddSingleton<ISecretAuditSink>(failing);
        services.AddSingleton<ISecretAuditSink>(after);
        services.AddSingleton<ISecretAuditActor>(new FixedActor("admin:alice"));
        services.AddRootCxVault(o => { o.MasterKey = TestKeys.Primary; o.ReadMasterKeyFromEnvironment = false; }).UseStore(_ => new InMemorySecretStore());
        await using ServiceProvider provider = services.BuildServiceProvider();

        SecretMetadata set = await provider.GetRequiredService<ISecretVault>().SetAsync(Shop, "STRIPE_KEY", Value);

        Assert.Multiple(() =>
        {
            Assert.That(set.Version, Is.EqualTo(1), "the write happened and is reported");
            Assert.That(after.Events.Single().Actor, Is.EqualTo("admin:alice"), "the host names the actor");
            Assert.That(logs.Lines, Has.Some.Contains("Error:").And.Contains("RecordingAuditSink could not record Set of STRIPE_KEY"));
            Assert.That(logs.ToString(), Does.Not.Contain(Value));
        });
    }

    [Test]
    public async Task An_operation_the_store_fails_is_audited_as_failed_and_still_throws()
    {
        var store = new OutageStore(new InMemorySecretStore());
        var audit = new RecordingAuditSink();
        var services = new ServiceCollection();
        services.AddSingleton<ISecretAuditSink>(audit);
        services.AddRootCxVault(o => { o.MasterKey = TestKeys.Primary; o.ReadMasterKeyFromEnvironment = false; }).UseStore(_ => store);
        await using ServiceProvider provider = services.BuildServiceProvider();
        var vault = provider.GetRequiredService<ISecretVault>();
        await vault.ListAsync(Shop); // the key check, while the store is up

        store.Down = true;
        Assert.ThrowsAsync<TimeoutException>(() => vault.SetAsync(Shop, "STRIPE_KEY", Value).AsTask());
        Assert.ThrowsAsync<TimeoutException>(() => provider.GetRequiredService<ISecretReader>().GetAllAsync(Shop).AsTask());

        Assert.That(audit.Events.Select(e => (e.Action, e.Outcome)), Is.EqualTo(new[] { (SecretAuditAction.Set, SecretAuditOutcome.Failed), (SecretAuditAction.ReadAll, SecretAuditOutcome.Failed) }));
    }

    [Test]
    public async Task An_actor_that_throws_leaves_the_operation_standing_and_the_event_recorded_as_unknown()
    {
        var audit = new RecordingAuditSink();
        var services = new ServiceCollection();
        services.AddSingleton<ISecretAuditSink>(audit);
        services.AddSingleton<ISecretAuditActor>(new ThrowingActor());
        services.AddRootCxVault(o => { o.MasterKey = TestKeys.Primary; o.ReadMasterKeyFromEnvironment = false; }).UseStore(_ => new InMemorySecretStore());
        await using ServiceProvider provider = services.BuildServiceProvider();

        await provider.GetRequiredService<ISecretVault>().SetAsync(Shop, "STRIPE_KEY", Value);

        Assert.That(audit.Events.Single().Actor, Is.EqualTo("unknown"));
    }

    [Test]
    public async Task The_built_in_log_sink_writes_each_event_without_its_value()
    {
        await Harness.Vault.SetAsync(Shop, "STRIPE_KEY", Value);
        using (await Harness.Reader.GetAsync(Shop, "STRIPE_KEY"))
        {
        }

        string[] audited = [.. Harness.Logs.GetSnapshot().Where(r => r.Category == "RootCx.Vault.Audit").Select(r => r.Message)];
        Assert.That(audited, Has.Length.EqualTo(2));
        Assert.That(audited[0], Does.Contain("Set shop/STRIPE_KEY version 1").And.Contain("Succeeded"));
        Assert.That(Harness.AllLogText, Does.Not.Contain(Value));
    }

    private sealed class ThrowingActor : ISecretAuditActor
    {
        public string Name => throw new InvalidOperationException("No request.");
    }

    private sealed class FixedActor(string name) : ISecretAuditActor
    {
        public string Name => name;
    }
}
