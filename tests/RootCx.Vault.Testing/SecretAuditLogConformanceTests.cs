using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NUnit.Framework;

namespace RootCx.Vault.Testing;

/// <summary>
/// The behaviour every durable <see cref="ISecretAuditLog"/> must show: order, filters and paging, a chain that
/// reports the first edited or removed event, one linear chain under concurrent writers, and no value anywhere.
/// Each store derives one sealed fixture from it.
/// </summary>
public abstract class SecretAuditLogConformanceTests
{
    private const string Value = "sk_live_never_in_the_audit_7c1e0a";
    private static readonly DateTimeOffset T0 = new(2026, 3, 4, 5, 6, 7, TimeSpan.Zero);
    private static readonly SecretScope Shop = SecretScope.ForApp("shop");

    protected ISecretAuditLog Log { get; private set; } = null!;

    /// <summary>Creates an empty log on real storage, unique to the current test.</summary>
    protected abstract ValueTask<ISecretAuditLog> CreateLogAsync();

    /// <summary>Opens a second instance on the storage of <see cref="Log"/>, as another process would.</summary>
    protected abstract ValueTask<ISecretAuditLog> OpenSecondInstanceAsync();

    /// <summary>Changes the actor of event <paramref name="sequence"/> in raw storage, as someone covering tracks would.</summary>
    protected abstract ValueTask EditActorAsync(long sequence, string actor);

    /// <summary>Removes event <paramref name="sequence"/> from raw storage.</summary>
    protected abstract ValueTask RemoveEventAsync(long sequence);

    /// <summary>Returns everything the log has written to its storage, as text.</summary>
    protected abstract ValueTask<string> ReadRawAsync();

    /// <summary>Registers the store and its audit log on the storage of <see cref="Log"/>.</summary>
    protected abstract void PersistTo(IRootCxVaultBuilder builder);

    /// <summary>Releases what <see cref="CreateLogAsync"/> made.</summary>
    protected virtual ValueTask DeleteLogAsync() => ValueTask.CompletedTask;

    [SetUp]
    public async Task CreateLog() => Log = await CreateLogAsync();

    [TearDown]
    public async Task DeleteLog() => await DeleteLogAsync();

    [Test]
    public async Task Events_read_back_in_order_each_linked_to_the_one_before()
    {
        await AppendAsync(5);

        IReadOnlyList<SecretAuditRecord> records = await Log.ReadAsync(new SecretAuditQuery());

        Assert.That(records.Select(r => r.Sequence), Is.EqualTo(new long[] { 1, 2, 3, 4, 5 }));
        Assert.Multiple(() =>
        {
            Assert.That(records[0].PreviousHash.ToArray(), Is.EqualTo(new byte[32]), "the first links to 32 zero bytes");
            for (int i = 1; i < records.Count; i++)
            {
                Assert.That(records[i].PreviousHash.ToArray(), Is.EqualTo(records[i - 1].Hash.ToArray()));
            }

            SecretAuditEvent first = records[0].Event;
            Assert.That((first.Timestamp, first.Actor, first.Action, first.Scope, first.Name), Is.EqualTo((T0, "admin:alice", SecretAuditAction.Set, Shop, (string?)"KEY_0")));
            Assert.That((first.Version, first.KeyId, first.Outcome), Is.EqualTo(((long?)1, (MasterKeyId?)new MasterKeyId(7), SecretAuditOutcome.Succeeded)));
            Assert.That(records[1].Event.Name, Is.Null, "a scope-wide event has no name");
        });
    }

    [Test]
    public async Task Reads_filter_by_scope_name_and_time_and_page_after_a_sequence_number()
    {
        await AppendAsync(6);

        IReadOnlyList<SecretAuditRecord> platform = await Log.ReadAsync(new SecretAuditQuery { Scope = SecretScope.Platform });
        IReadOnlyList<SecretAuditRecord> named = await Log.ReadAsync(new SecretAuditQuery { Name = "key_4" });
        IReadOnlyList<SecretAuditRecord> window = await Log.ReadAsync(new SecretAuditQuery { From = T0.AddMinutes(2), Until = T0.AddMinutes(4) });
        IReadOnlyList<SecretAuditRecord> firstPage = await Log.ReadAsync(new SecretAuditQuery { Limit = 4 });
        IReadOnlyList<SecretAuditRecord> secondPage = await Log.ReadAsync(new SecretAuditQuery { Limit = 4, AfterSequence = firstPage[^1].Sequence });

        Assert.Multiple(() =>
        {
            Assert.That(platform.Select(r => r.Sequence), Is.EqualTo(new long[] { 3, 6 }));
            Assert.That(named.Select(r => r.Sequence), Is.EqualTo(new long[] { 5 }), "names match ignoring case");
            Assert.That(window.Select(r => r.Sequence), Is.EqualTo(new long[] { 3, 4 }), "from inclusive, until exclusive");
            Assert.That(firstPage.Select(r => r.Sequence), Is.EqualTo(new long[] { 1, 2, 3, 4 }));
            Assert.That(secondPage.Select(r => r.Sequence), Is.EqualTo(new long[] { 5, 6 }));
        });
    }

    [Test]
    public async Task An_intact_log_verifies_and_names_its_head()
    {
        SecretAuditVerification empty = await Log.VerifyAsync();
        await AppendAsync(4);

        SecretAuditVerification full = await Log.VerifyAsync();
        IReadOnlyList<SecretAuditRecord> records = await Log.ReadAsync(new SecretAuditQuery());

        Assert.Multiple(() =>
        {
            Assert.That((empty.IsIntact, empty.HeadSequence, empty.Count), Is.EqualTo((true, 0L, 0L)));
            Assert.That((full.IsIntact, full.HeadSequence, full.Count), Is.EqualTo((true, 4L, 4L)));
            Assert.That(full.HeadHash.ToArray(), Is.EqualTo(records[^1].Hash.ToArray()));
        });
    }

    [Test]
    public async Task An_edited_event_is_reported_at_its_sequence_number()
    {
        await AppendAsync(5);

        await EditActorAsync(3, "admin:mallory");
        SecretAuditVerification result = await Log.VerifyAsync();

        Assert.That((result.IsIntact, result.FirstBrokenSequence, result.HeadSequence), Is.EqualTo((false, (long?)3, 2L)));
    }

    [Test]
    public async Task A_removed_event_is_reported_at_its_sequence_number()
    {
        await AppendAsync(5);

        await RemoveEventAsync(2);
        SecretAuditVerification result = await Log.VerifyAsync();

        Assert.That((result.IsIntact, result.FirstBrokenSequence), Is.EqualTo((false, (long?)2)));
    }

    [Test]
    public async Task Appends_from_two_instances_at_once_make_one_linear_chain()
    {
        ISecretAuditLog other = await OpenSecondInstanceAsync();
        try
        {
            await Task.WhenAll(Enumerable.Range(0, 40).Select(i => Task.Run(async () =>
                await (i % 2 == 0 ? Log : other).WriteAsync(Event(i, T0.AddSeconds(i))))));

            SecretAuditVerification result = await Log.VerifyAsync();
            IReadOnlyList<SecretAuditRecord> records = await other.ReadAsync(new SecretAuditQuery());

            Assert.That((result.IsIntact, result.HeadSequence), Is.EqualTo((true, 40L)));
            Assert.That(records.Select(r => r.Event.Timestamp).Distinct().Count(), Is.EqualTo(40), "every append is there once");
        }
        finally
        {
            (other as IDisposable)?.Dispose();
        }
    }

    [Test]
    public async Task An_event_stamped_finer_than_a_microsecond_is_kept_and_hashed_at_the_microsecond()
    {
        // A host writing its own events with DateTimeOffset.UtcNow: 100 ns ticks, finer than any store keeps.
        await Log.WriteAsync(Event(0, T0.AddTicks(7)));
        await Log.WriteAsync(Event(2, T0.AddTicks(15)));

        SecretAuditVerification result = await Log.VerifyAsync();
        IReadOnlyList<SecretAuditRecord> records = await Log.ReadAsync(new SecretAuditQuery());

        Assert.That(result.IsIntact, Is.True, "the stored time is the one hashed");
        Assert.That(records.Select(r => r.Event.Timestamp), Is.EqualTo(new[] { T0, T0.AddTicks(10) }));
    }

    [Test]
    public async Task A_log_longer_than_any_read_chunk_continues_from_its_head_in_a_fresh_instance_and_pages_whole()
    {
        // About 600 lines of a few hundred bytes: more than one 64 KiB chunk of the file log, however it is read.
        const int Count = 600;
        for (int round = 0; round < 3; round++)
        {
            ISecretAuditLog fresh = await OpenSecondInstanceAsync();
            try
            {
                for (int i = round * (Count / 3); i < (round + 1) * (Count / 3); i++)
                {
                    await fresh.WriteAsync(Event(i, T0.AddSeconds(i)));
                }
            }
            finally
            {
                (fresh as IDisposable)?.Dispose();
            }
        }

        var sequences = new List<long>();
        for (long after = 0; ;)
        {
            IReadOnlyList<SecretAuditRecord> page = await Log.ReadAsync(new SecretAuditQuery { AfterSequence = after, Limit = 250 });
            if (page.Count == 0)
            {
                break;
            }

            sequences.AddRange(page.Select(r => r.Sequence));
            after = page[^1].Sequence;
        }

        SecretAuditVerification result = await Log.VerifyAsync();
        Assert.That((result.IsIntact, result.Count, result.HeadSequence), Is.EqualTo((true, (long)Count, (long)Count)));
        Assert.That(sequences, Is.EqualTo(Enumerable.Range(1, Count).Select(i => (long)i)), "every event once, in order, across pages");
    }

    [Test]
    public async Task No_audited_operation_puts_the_value_in_the_log_or_the_log_messages()
    {
        var recorded = new RecordingAuditSink();
        var logLines = new LogLines();
        var services = new ServiceCollection().AddLogging(b => b.AddProvider(logLines));
        services.AddSingleton<ISecretAuditSink>(recorded);
        IRootCxVaultBuilder builder = services.AddRootCxVault(o =>
        {
            o.MasterKey = TestKeys.Primary;
            o.ReadMasterKeyFromEnvironment = false;
        });
        PersistTo(builder);
        await using (ServiceProvider provider = services.BuildServiceProvider())
        {
            var vault = provider.GetRequiredService<ISecretVault>();
            var reader = provider.GetRequiredService<ISecretReader>();
            await vault.SetAsync(Shop, "STRIPE_KEY", Value);
            await vault.SetAsync(SecretScope.Platform, "SLACK_TOKEN", Value);
            Assert.ThrowsAsync<SecretConflictException>(() => vault.SetAsync(Shop, "STRIPE_KEY", Value, SecretPrecondition.IfAbsent).AsTask());
            using (await reader.GetAsync(Shop, "STRIPE_KEY"))
            using (await reader.GetAllAsync(Shop))
            using (await provider.GetRequiredService<ISecretInjector>().BuildEnvironmentAsync("shop"))
            {
            }

            await vault.RotateAsync();
            await vault.DeleteAsync(Shop, "STRIPE_KEY");
            IReadOnlyList<SecretAuditRecord> stored = await provider.GetRequiredService<ISecretAuditLog>().ReadAsync(new SecretAuditQuery());

            Assert.That(stored.Select(r => r.Event.Action), Is.EqualTo(new[]
            {
                SecretAuditAction.Set, SecretAuditAction.Set, SecretAuditAction.Set, SecretAuditAction.Read, SecretAuditAction.ReadAll,
                SecretAuditAction.ReadAll, SecretAuditAction.BuildEnvironment, SecretAuditAction.Delete,
            }));
            Assert.That(stored[2].Event.Outcome, Is.EqualTo(SecretAuditOutcome.Conflict));
        }

        string everything = await ReadRawAsync() + string.Join('\n', recorded.Events) + logLines;
        Assert.That(everything, Does.Not.Contain(Value));
        Assert.That(everything, Does.Contain("STRIPE_KEY"), "the scan read the audit");
    }

    private async Task AppendAsync(int count)
    {
        for (int i = 0; i < count; i++)
        {
            await Log.WriteAsync(Event(i, T0.AddMinutes(i)));
        }
    }

    // Every third event is the platform's; every second is scope-wide.
    private static SecretAuditEvent Event(int i, DateTimeOffset time) => new(
        time,
        "admin:alice",
        i % 2 == 0 ? SecretAuditAction.Set : SecretAuditAction.ReadAll,
        i % 3 == 2 ? SecretScope.Platform : Shop,
        i % 2 == 0 ? $"KEY_{i}" : null,
        i % 2 == 0 ? 1 : null,
        i % 2 == 0 ? new MasterKeyId(7) : null,
        SecretAuditOutcome.Succeeded);
}
