using System.Diagnostics;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using RootCx.Vault.Testing;

namespace RootCx.Vault.Tests.Diagnostics;

/// <summary>The vault's metrics and traces: what is counted and timed, tagged by scope kind, store and operation, and never by a secret.</summary>
public class TelemetryTests : VaultTests
{
    private const string Name = "STRIPE_KEY";
    private const string Value = "sk_live_telemetry_value_7d19";
    private static readonly SecretScope Shop = SecretScope.ForApp("shop");

    [Test]
    public async Task Sets_deletes_reads_and_conflicts_are_counted_by_scope_kind()
    {
        using MetricCollector<long> sets = Collect("rootcx.vault.secret.sets");
        using MetricCollector<long> deletes = Collect("rootcx.vault.secret.deletes");
        using MetricCollector<long> reads = Collect("rootcx.vault.secret.reads");
        using MetricCollector<long> conflicts = Collect("rootcx.vault.conflicts");

        await Harness.Vault.SetAsync(Shop, Name, Value);
        await Harness.Vault.SetAsync(Shop, "OTHER", Value);
        await Harness.Vault.SetAsync(SecretScope.Platform, Name, Value);
        Assert.ThrowsAsync<SecretConflictException>(async () => await Harness.Vault.SetAsync(Shop, Name, Value, SecretPrecondition.IfAbsent));
        using (await Harness.Reader.GetAllAsync(Shop))
        {
        }

        await Harness.Vault.DeleteAsync(Shop, Name);

        Assert.Multiple(() =>
        {
            Assert.That(Sum(sets, "app"), Is.EqualTo(2));
            Assert.That(Sum(sets, "platform"), Is.EqualTo(1));
            Assert.That(Sum(reads, "app"), Is.EqualTo(2));
            Assert.That(Sum(deletes, "app"), Is.EqualTo(1));
            Assert.That(conflicts.GetMeasurementSnapshot().Single().Tags["rootcx.vault.operation"], Is.EqualTo("set"));
            AssertNoSecretIn(sets, deletes, reads, conflicts);
        });
    }

    [Test]
    public async Task A_failed_decryption_is_counted()
    {
        using MetricCollector<long> failures = Collect("rootcx.vault.decryption.failures");
        SecretMetadata set = await Harness.Vault.SetAsync(Shop, Name, Value);
        await Harness.Store.SetAsync(Shop, SecretName.Parse(Name), TestKeys.FakeEnvelope(set.KeyId), set.KeyId, DateTimeOffset.UtcNow, SecretPrecondition.None, RootCxVaultOptions.DefaultMaxVersions);

        Assert.CatchAsync<SecretDecryptionException>(async () => await Harness.Reader.GetAllAsync(Shop));

        Assert.That(Sum(failures, "app"), Is.EqualTo(1));
    }

    [Test]
    public async Task Every_store_operation_is_timed_and_traced_with_its_store_operation_and_outcome()
    {
        using MetricCollector<double> durations = new(Harness.MeterFactory, RootCxVaultDiagnostics.MeterName, "rootcx.vault.store.operation.duration");
        var spans = new List<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == RootCxVaultDiagnostics.ActivitySourceName,
            Sample = (ref _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Add,
        };
        ActivitySource.AddActivityListener(listener);

        await Harness.Vault.SetAsync(Shop, Name, Value);
        await Harness.Vault.ListAsync(Shop);
        Assert.ThrowsAsync<SecretConflictException>(async () => await Harness.Vault.DeleteAsync(Shop, Name, SecretPrecondition.IfVersion(9)));

        Assert.Multiple(() =>
        {
            var measured = durations.GetMeasurementSnapshot().Select(m => (Store: m.Tags["rootcx.vault.store"], Operation: m.Tags["rootcx.vault.operation"], Error: m.Tags.GetValueOrDefault("error.type"))).ToList();
            Assert.That(measured, Does.Contain(("inmemory", "set", (object?)null)));
            Assert.That(measured, Does.Contain(("inmemory", "list", (object?)null)));
            Assert.That(measured, Does.Contain(("inmemory", "delete", (object?)typeof(SecretConflictException).FullName)));
            Assert.That(durations.GetMeasurementSnapshot().Select(m => m.Value), Has.All.GreaterThanOrEqualTo(0));

            Activity set = spans.Single(s => (string?)s.GetTagItem("rootcx.vault.operation") == "set");
            Assert.That((set.GetTagItem("rootcx.vault.scope"), set.GetTagItem("rootcx.vault.store"), set.Kind), Is.EqualTo(("shop", "inmemory", ActivityKind.Client)));
            Activity refused = spans.Single(s => (string?)s.GetTagItem("rootcx.vault.operation") == "delete");
            Assert.That(refused.Status, Is.EqualTo(ActivityStatusCode.Error));
            Assert.That(spans.SelectMany(s => s.TagObjects).Select(t => t.Value?.ToString()), Has.None.Contain(Name).And.None.Contain(Value));
        });
    }

    [Test]
    public async Task Rotation_counts_the_secrets_it_re_seals()
    {
        var store = new InMemorySecretStore();
        await using (var old = new VaultHarness(TestKeys.Secondary, store))
        {
            await old.Vault.SetAsync(Shop, Name, Value);
            await old.Vault.SetAsync(SecretScope.Platform, Name, Value);
        }

        await using var rotating = new VaultHarness(TestKeys.Primary, store, null, TestKeys.Secondary);
        using var resealed = new MetricCollector<long>(rotating.MeterFactory, RootCxVaultDiagnostics.MeterName, "rootcx.vault.rotation.resealed");

        await rotating.Vault.RotateAsync();

        Assert.That(resealed.GetMeasurementSnapshot().Sum(m => m.Value), Is.EqualTo(2));
    }

    private MetricCollector<long> Collect(string instrument) => new(Harness.MeterFactory, RootCxVaultDiagnostics.MeterName, instrument);

    private static long Sum(MetricCollector<long> collector, string scopeKind) =>
        collector.GetMeasurementSnapshot().Where(m => Equals(m.Tags["rootcx.vault.scope.kind"], scopeKind)).Sum(m => m.Value);

    private static void AssertNoSecretIn(params MetricCollector<long>[] collectors)
    {
        string?[] tagValues = [.. collectors.SelectMany(c => c.GetMeasurementSnapshot()).SelectMany(m => m.Tags.Values).Select(v => v?.ToString())];
        Assert.That(tagValues, Has.None.Contain(Name).And.None.Contain(Value).And.None.Contain("shop"), "no name, value or app id in a metric tag");
    }
}
