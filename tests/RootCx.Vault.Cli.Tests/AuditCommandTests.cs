using System.Text;
using System.Text.Json;

namespace RootCx.Vault.Cli.Tests;

/// <summary><c>audit</c> and <c>audit verify</c> over the store's durable trail, on the file store and PostgreSQL.</summary>
[TestFixture(StoreUnderTest.File)]
[TestFixture(StoreUnderTest.PostgreSql)]
public sealed class AuditCommandTests(string storeKind) : CliTestBase(storeKind)
{
    [Test]
    public async Task The_trail_names_the_operator_and_every_operation_the_tool_made_and_filters_by_scope_and_name()
    {
        await SetAsync("shop", "STRIPE_KEY");
        await SetAsync("shop", "OTHER");
        await SetAsync("--platform", "SHARED");
        Assert.That((await Tool.RunAsync("delete", "shop", "OTHER")).ExitCode, Is.Zero);

        CliResult all = await Tool.RunAsync("audit", "--json");
        CliResult filtered = await Tool.RunAsync("audit", "--scope", "shop", "--name", "stripe_key", "--json");
        CliResult table = await Tool.RunAsync("audit", "--scope", "_platform");

        Assert.That(all.ExitCode, Is.Zero, all.ToString());
        JsonElement[] events = [.. JsonDocument.Parse(all.Output).RootElement.EnumerateArray()];
        Assert.Multiple(() =>
        {
            Assert.That(events.Select(e => (e.GetProperty("action").GetString(), e.GetProperty("scope").GetString(), e.GetProperty("name").GetString())), Is.EqualTo(new[]
            {
                ("Set", "shop", "STRIPE_KEY"), ("Set", "shop", "OTHER"), ("Set", "_platform", "SHARED"), ("Delete", "shop", "OTHER"),
            }));
            Assert.That(events.Select(e => e.GetProperty("actor").GetString()), Has.All.EqualTo($"cli:{Environment.UserName}"));
            Assert.That(events.Select(e => e.GetProperty("seq").GetInt64()), Is.EqualTo(new long[] { 1, 2, 3, 4 }));
            Assert.That(JsonDocument.Parse(filtered.Output).RootElement.EnumerateArray().Select(e => e.GetProperty("seq").GetInt64()), Is.EqualTo(new long[] { 1 }));
            Assert.That(table.Output, Does.StartWith("SEQ").And.Contain("SHARED").And.Not.Contain("STRIPE_KEY"));
        });
    }

    [Test]
    public async Task Verify_prints_the_head_of_an_intact_trail()
    {
        await SetAsync("shop", "STRIPE_KEY");

        CliResult verify = await Tool.RunAsync("audit", "verify");

        Assert.That(verify.ExitCode, Is.Zero, verify.ToString());
        Assert.That(verify.Output, Does.Match("^audit trail intact: 1 event\\(s\\), head 1 [0-9a-f]{64}\n$"));
    }

    [Test]
    public async Task Verify_names_the_first_edited_event_and_exits_1()
    {
        if (StoreKind != StoreUnderTest.File)
        {
            Assert.Ignore("Edited here in the file store's log by hand; the PostgreSQL table's tamper cases are in the audit log conformance suite.");
        }

        await SetAsync("shop", "FIRST");
        await SetAsync("shop", "SECOND");
        string log = Path.Combine(StoreLocation["file:".Length..], "audit", "events.log");
        await File.WriteAllTextAsync(log, (await File.ReadAllTextAsync(log)).Replace("SECOND", "SECONX", StringComparison.Ordinal), new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));

        CliResult verify = await Tool.RunAsync("audit", "verify");

        Assert.That(verify.ExitCode, Is.EqualTo(1), verify.ToString());
        Assert.That(verify.Error.Trim(), Does.Contain("broken at event 2").And.Not.Contain("\n"));
    }

    [Test]
    public async Task A_limit_out_of_range_is_bad_input()
    {
        CliResult tooMany = await Tool.RunAsync("audit", "--limit", "5000");

        Assert.That(tooMany.ExitCode, Is.EqualTo(2), tooMany.ToString());
    }
}
