using Microsoft.Extensions.DependencyInjection;
using RootCx.Vault.Testing;

namespace RootCx.Vault.FileSystem.Tests;

/// <summary>The audit log file's own promises (owner-only is checked with the whole layout): a torn append is cut off, a garbled line breaks the chain.</summary>
public class AuditLogFileTests
{
    private static readonly SecretScope Shop = SecretScope.ForApp("shop");
    private TemporaryStoreFolder _folder = null!;

    [SetUp]
    public void CreateFolder() => _folder = new TemporaryStoreFolder();

    [TearDown]
    public void DeleteFolder() => _folder.Dispose();

    [Test]
    public async Task A_store_chosen_after_the_file_store_leaves_no_events_going_to_the_file_stores_log()
    {
        var services = new ServiceCollection();
        services.AddRootCxVault(o =>
        {
            o.MasterKey = TestKeys.Primary;
            o.ReadMasterKeyFromEnvironment = false;
        }).PersistToFileSystem(_folder.Path).UseStore(_ => new InMemorySecretStore());
        await using (ServiceProvider provider = services.BuildServiceProvider())
        {
            await provider.GetRequiredService<ISecretVault>().SetAsync(Shop, "STRIPE_KEY", "value-for-the-other-store");
            Assert.That(provider.GetService<ISecretAuditLog>(), Is.Null);
        }

        Assert.That(Directory.Exists(System.IO.Path.Combine(_folder.Path, "audit")), Is.False, "the replaced store's log was never written");
    }

    [Test]
    public async Task A_line_torn_by_a_crash_mid_append_is_ignored_and_cut_off_by_the_next_append()
    {
        var log = new FileSystemAuditLog(_folder.Path);
        await log.WriteAsync(Event("FIRST"));
        await File.AppendAllTextAsync(log.FilePath, "{\"seq\":2,\"time\":\"2026-");

        IReadOnlyList<SecretAuditRecord> beforeAppend = await log.ReadAsync(new SecretAuditQuery());
        SecretAuditVerification verified = await log.VerifyAsync();
        await new FileSystemAuditLog(_folder.Path).WriteAsync(Event("SECOND"));

        string[] lines = (await File.ReadAllTextAsync(log.FilePath)).Split('\n');
        Assert.Multiple(async () =>
        {
            Assert.That(beforeAppend, Has.Count.EqualTo(1), "the torn line is no event");
            Assert.That(verified.IsIntact, Is.True, "an unacknowledged append is not tampering");
            Assert.That(lines, Has.Length.EqualTo(3), "two whole lines, each ended by a newline");
            Assert.That(lines[^1], Is.Empty);
            Assert.That((await log.VerifyAsync()).HeadSequence, Is.EqualTo(2));
        });
    }

    [Test]
    public async Task A_line_that_is_not_an_event_breaks_the_chain_there()
    {
        var log = new FileSystemAuditLog(_folder.Path);
        await log.WriteAsync(Event("FIRST"));
        await log.WriteAsync(Event("SECOND"));
        string[] lines = await File.ReadAllLinesAsync(log.FilePath);
        await File.WriteAllTextAsync(log.FilePath, lines[0] + "\nnot json\n");

        SecretAuditVerification result = await log.VerifyAsync();

        Assert.That((result.FirstBrokenSequence, result.HeadSequence), Is.EqualTo(((long?)2, 1L)));
    }

    private static SecretAuditEvent Event(string name) =>
        new(new DateTimeOffset(2026, 3, 4, 5, 6, 7, TimeSpan.Zero), "admin:alice", SecretAuditAction.Set, Shop, name, 1, new MasterKeyId(7), SecretAuditOutcome.Succeeded);
}
