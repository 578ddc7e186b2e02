using System.Text.Json;

namespace RootCx.Vault.Cli.Tests;

/// <summary>versions, restore, deleted, recover and purge: a secret's lifecycle from a shell, never a value on screen.</summary>
[TestFixture(StoreUnderTest.File)]
[TestFixture(StoreUnderTest.PostgreSql)]
public sealed class LifecycleCommandTests(string storeKind) : CliTestBase(storeKind)
{
    [Test]
    public async Task Versions_lists_the_history_and_restore_makes_an_older_value_the_newest()
    {
        string first = await SetAsync("shop", "STRIPE_KEY");
        await SetAsync("shop", "STRIPE_KEY");

        CliResult table = await Tool.RunAsync("versions", "shop", "stripe_key");
        CliResult status = await Tool.RunAsync("status");
        CliResult stale = await Tool.RunAsync("restore", "shop", "STRIPE_KEY", "--version", "1", "--if-version", "1");
        CliResult restore = await Tool.RunAsync("restore", "shop", "STRIPE_KEY", "--version", "1", "--if-version", "2");
        CliResult json = await Tool.RunAsync("versions", "shop", "STRIPE_KEY", "--json");
        string seen = Path.Combine(Folder, "seen.txt");
        CliResult run = await Tool.RunAsync("run", "--app", "shop", "--", "sh", "-c", "printenv STRIPE_KEY > \"$0\"", seen);

        Assert.That(table.ExitCode, Is.Zero, table.ToString());
        string[] lines = table.Output.TrimEnd().Split('\n');
        using JsonDocument versions = JsonDocument.Parse(json.Output);
        Assert.Multiple(() =>
        {
            Assert.That(lines[0], Does.StartWith("VERSION").And.Contain("WRITER"));
            Assert.That(lines[1], Does.StartWith("2").And.Contain("cli:").And.EndWith("current"));
            Assert.That(lines[2], Does.StartWith("1"));
            Assert.That(status.Output, Does.Contain($"key {Testing.TestKeys.IdOf(Testing.TestKeys.Primary)}: 1 secret(s), 1 deleted or older version(s)").And.Contain("older versions: 1"), "what keeps a key recorded");
            Assert.That(stale.ExitCode, Is.EqualTo(3), stale.ToString());
            Assert.That(restore.ExitCode, Is.Zero, restore.ToString());
            Assert.That(restore.Output.Trim(), Is.EqualTo("restored STRIPE_KEY in shop from version 1 as version 3"));
            Assert.That(versions.RootElement.EnumerateArray().Select(v => (v.GetProperty("version").GetInt64(), v.GetProperty("current").GetBoolean())), Is.EqualTo(new[] { (3L, true), (2L, false), (1L, false) }));
            Assert.That(run.ExitCode, Is.Zero, run.ToString());
            Assert.That(File.ReadAllText(seen).Trim(), Is.EqualTo(first), "the runtime reads the restored value");
        });
    }

    [Test]
    public async Task A_deleted_secret_is_listed_recovered_and_purged()
    {
        await SetAsync("shop", "STRIPE_KEY");
        await SetAsync("shop", "GONE");
        await Tool.RunAsync("delete", "shop", "STRIPE_KEY");
        await Tool.RunAsync("delete", "shop", "GONE");

        CliResult deleted = await Tool.RunAsync("deleted", "shop", "--json", "--retention-days", "30");
        CliResult recover = await Tool.RunAsync("recover", "shop", "stripe_key");
        CliResult purge = await Tool.RunAsync("purge", "shop", "GONE");
        CliResult list = await Tool.RunAsync("list", "shop");
        CliResult after = await Tool.RunAsync("deleted", "shop");
        CliResult expired = await Tool.RunAsync("purge", "--expired", "--retention-days", "1");
        CliResult unsaid = await Tool.RunAsync("purge", "--expired");

        using JsonDocument json = JsonDocument.Parse(deleted.Output);
        Assert.Multiple(() =>
        {
            Assert.That(json.RootElement.EnumerateArray().Select(d => d.GetProperty("name").GetString()), Is.EqualTo(new[] { "GONE", "STRIPE_KEY" }));
            JsonElement first = json.RootElement[0];
            Assert.That(first.GetProperty("purgeAfter").GetDateTimeOffset() - first.GetProperty("deletedAt").GetDateTimeOffset(), Is.EqualTo(TimeSpan.FromDays(30)), "by the hosts' retention, as told");
            Assert.That(recover.Output.Trim(), Is.EqualTo("recovered STRIPE_KEY in shop (version 1)"), recover.ToString());
            Assert.That(purge.Output.Trim(), Is.EqualTo("purged GONE in shop"), purge.ToString());
            Assert.That(list.Output, Does.Contain("STRIPE_KEY").And.Not.Contain("GONE"));
            Assert.That(after.Output.TrimEnd().Split('\n'), Has.Length.EqualTo(1), "only the header is left");
            Assert.That(expired.Output.Trim(), Is.EqualTo("purged 0 expired deleted secret(s)"), expired.ToString());
            Assert.That(unsaid.ExitCode, Is.EqualTo(2), "the tool does not guess the hosts' retention");
            Assert.That(unsaid.Error, Does.Contain("--retention-days"));
        });
    }

    [Test]
    public async Task A_set_from_the_tool_keeps_as_many_versions_as_it_is_told()
    {
        for (int i = 0; i < 4; i++)
        {
            await SetAsync("shop", "STRIPE_KEY");
        }

        Tool.Environment["ROOTCX_VAULT_MAX_VERSIONS"] = "2";
        await SetAsync("shop", "STRIPE_KEY");
        CliResult trimmed = await Tool.RunAsync("versions", "shop", "STRIPE_KEY", "--json");
        Tool.Environment["ROOTCX_VAULT_MAX_VERSIONS"] = "many";
        CliResult malformed = await Tool.RunAsync("list", "shop");

        using JsonDocument json = JsonDocument.Parse(trimmed.Output);
        Assert.That(json.RootElement.EnumerateArray().Select(v => v.GetProperty("version").GetInt64()), Is.EqualTo(new long[] { 5, 4 }));
        Assert.That(malformed.ExitCode, Is.EqualTo(2), malformed.ToString());
    }

    [Test]
    public async Task Nothing_to_act_on_exits_with_1_and_a_bad_version_with_2()
    {
        await SetAsync("shop", "LIVE");

        CliResult[] missing =
        [
            await Tool.RunAsync("versions", "shop", "MISSING"),
            await Tool.RunAsync("restore", "shop", "LIVE", "--version", "9"),
            await Tool.RunAsync("recover", "shop", "LIVE"),
            await Tool.RunAsync("purge", "shop", "LIVE"),
        ];
        CliResult badVersion = await Tool.RunAsync("restore", "shop", "LIVE", "--version", "0");

        Assert.Multiple(() =>
        {
            Assert.That(missing.Select(r => r.ExitCode), Is.All.EqualTo(1), string.Join("\n", missing.Select(r => r.ToString())));
            Assert.That(missing.Select(r => r.Error.Trim().Split('\n').Length), Is.All.EqualTo(1), "one line each");
            Assert.That(missing[3].Error, Does.Contain("No deleted secret LIVE"));
            Assert.That(badVersion.ExitCode, Is.EqualTo(2), badVersion.ToString());
        });
    }
}
