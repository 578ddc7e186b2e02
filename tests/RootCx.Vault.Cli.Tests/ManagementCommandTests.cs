using System.Text.Json;
using RootCx.Vault.Testing;

namespace RootCx.Vault.Cli.Tests;

[TestFixture(StoreUnderTest.File)]
[TestFixture(StoreUnderTest.PostgreSql)]
public sealed class ManagementCommandTests(string storeKind) : CliTestBase(storeKind)
{
    [Test]
    public async Task Set_from_stdin_then_list_shows_names_and_metadata_as_a_table()
    {
        await SetAsync("shop", "STRIPE_KEY");
        await SetAsync("shop", "Db_Url");

        CliResult list = await Tool.RunAsync("list", "shop");

        Assert.That(list.ExitCode, Is.Zero, list.ToString());
        string[] lines = list.Output.TrimEnd().Split('\n');
        Assert.That(lines[0], Does.StartWith("NAME").And.Contain("VERSION").And.Contain("KEY ID"));
        Assert.That(lines[1], Does.StartWith("Db_Url").And.Contain(TestKeys.IdOf(TestKeys.Primary).ToString()));
        Assert.That(lines[2], Does.StartWith("STRIPE_KEY"));
        Assert.That(lines, Has.Length.EqualTo(3));
    }

    [Test]
    public async Task List_json_gives_scripts_every_field_but_the_value()
    {
        await SetAsync("shop", "STRIPE_KEY");
        await SetAsync("shop", "STRIPE_KEY");

        CliResult list = await Tool.RunAsync("list", "shop", "--json");

        Assert.That(list.ExitCode, Is.Zero, list.ToString());
        using JsonDocument json = JsonDocument.Parse(list.Output);
        JsonElement secret = json.RootElement.EnumerateArray().Single();
        Assert.That(secret.GetProperty("name").GetString(), Is.EqualTo("STRIPE_KEY"));
        Assert.That(secret.GetProperty("version").GetInt64(), Is.EqualTo(2));
        Assert.That(secret.GetProperty("keyId").GetString(), Is.EqualTo(TestKeys.IdOf(TestKeys.Primary).ToString()));
        Assert.That(secret.GetProperty("updatedAt").GetDateTimeOffset(), Is.GreaterThanOrEqualTo(secret.GetProperty("createdAt").GetDateTimeOffset()));
        Assert.That(secret.EnumerateObject().Select(p => p.Name), Is.EquivalentTo(new[] { "name", "createdAt", "updatedAt", "version", "keyId" }));
    }

    [Test]
    public async Task Platform_secrets_are_set_listed_and_deleted_with_the_platform_option()
    {
        await SetAsync("--platform", "SHARED_TOKEN");

        CliResult platform = await Tool.RunAsync("list", "--platform", "--json");
        CliResult app = await Tool.RunAsync("list", "shop", "--json");
        CliResult delete = await Tool.RunAsync("delete", "--platform", "SHARED_TOKEN");
        CliResult after = await Tool.RunAsync("list", "--platform", "--json");

        Assert.That(platform.Output, Does.Contain("SHARED_TOKEN"));
        Assert.That(app.Output, Does.Not.Contain("SHARED_TOKEN"));
        Assert.That(delete.ExitCode, Is.Zero, delete.ToString());
        Assert.That(after.Output, Does.Not.Contain("SHARED_TOKEN"));
    }

    [Test]
    public async Task Delete_removes_a_secret_and_a_second_delete_exits_with_1()
    {
        await SetAsync("shop", "STRIPE_KEY");

        CliResult first = await Tool.RunAsync("delete", "shop", "stripe_key");
        CliResult second = await Tool.RunAsync("delete", "shop", "STRIPE_KEY");

        Assert.That(first.ExitCode, Is.Zero, first.ToString());
        Assert.That(second.ExitCode, Is.EqualTo(1), second.ToString());
        Assert.That(second.Error.Trim(), Does.Contain("No secret STRIPE_KEY in shop").And.Not.Contain("\n"));
    }

    [Test]
    public async Task A_conditional_set_or_delete_from_a_stale_version_exits_with_3_and_changes_nothing()
    {
        await SetAsync("shop", "STRIPE_KEY");
        string current = await SetAsync("shop", "STRIPE_KEY");
        string stale = NewValue("stale");

        CliResult staleSet = await Tool.RunWithInputAsync(stale + "\n", "set", "shop", "STRIPE_KEY", "--if-version", "1");
        CliResult createOnly = await Tool.RunWithInputAsync(stale + "\n", "set", "shop", "STRIPE_KEY", "--create-only");
        CliResult staleDelete = await Tool.RunAsync("delete", "shop", "STRIPE_KEY", "--if-version", "1");
        string seen = Path.Combine(Folder, "seen.txt");
        CliResult run = await Tool.RunAsync("run", "--app", "shop", "--", "sh", "-c", "printenv STRIPE_KEY > \"$0\"", seen);

        Assert.Multiple(() =>
        {
            Assert.That((staleSet.ExitCode, createOnly.ExitCode, staleDelete.ExitCode), Is.EqualTo((3, 3, 3)), staleSet.ToString());
            Assert.That(staleSet.Error.Trim(), Does.Contain("STRIPE_KEY").And.Contain("version 2").And.Not.Contain("\n"));
            Assert.That(run.ExitCode, Is.Zero, run.ToString());
            Assert.That(File.ReadAllText(seen).Trim(), Is.EqualTo(current), "the value set at version 2 stands");
        });
    }

    [Test]
    public async Task A_conditional_set_and_delete_at_the_current_version_go_ahead()
    {
        CliResult created = await Tool.RunWithInputAsync(NewValue("created") + "\n", "set", "shop", "STRIPE_KEY", "--create-only");
        CliResult replaced = await Tool.RunWithInputAsync(NewValue("replaced") + "\n", "set", "shop", "STRIPE_KEY", "--if-version", "1");
        CliResult deleted = await Tool.RunAsync("delete", "shop", "STRIPE_KEY", "--if-version", "2");
        CliResult both = await Tool.RunWithInputAsync(NewValue("both") + "\n", "set", "shop", "STRIPE_KEY", "--create-only", "--if-version", "1");

        Assert.That((created.ExitCode, replaced.ExitCode, deleted.ExitCode), Is.EqualTo((0, 0, 0)), $"{created}\n{replaced}\n{deleted}");
        Assert.That(both.ExitCode, Is.EqualTo(2), both.ToString());
    }

    [Test]
    public async Task Keygen_prints_a_new_64_hex_character_key_and_nothing_else()
    {
        CliResult first = await Tool.RunAsync("keygen");
        CliResult second = await Tool.RunAsync("keygen");

        Assert.That(first.Output, Does.Match("^[0-9a-f]{64}\n$"));
        Assert.That(first.Error, Is.Empty);
        Assert.That(second.Output, Is.Not.EqualTo(first.Output));
    }

    [Test]
    public async Task A_key_from_keygen_sets_up_a_store()
    {
        Tool.Environment["ROOTCX_MASTER_KEY"] = (await Tool.RunAsync("keygen")).Output.Trim();

        await SetAsync("shop", "STRIPE_KEY");
        CliResult verify = await Tool.RunAsync("verify");

        Assert.That(verify.ExitCode, Is.Zero, verify.ToString());
    }

    [Test]
    public async Task Status_counts_secrets_per_key_id_and_scopes_without_needing_the_key()
    {
        await SetAsync("shop", "A_KEY");
        await SetAsync("shop", "B_KEY");
        await SetAsync("--platform", "TOKEN");
        Tool.Environment.Remove("ROOTCX_MASTER_KEY");

        CliResult status = await Tool.RunAsync("status", "--key-file", Path.Combine(Folder, "absent.key"));

        Assert.That(status.ExitCode, Is.Zero, status.ToString());
        Assert.That(status.Output, Does.Contain($"key {TestKeys.IdOf(TestKeys.Primary)}: 3 secret(s)"));
        Assert.That(status.Output, Does.Contain("scopes: 2").And.Contain("secrets: 3"));
        Assert.That(File.Exists(Path.Combine(Folder, "absent.key")), Is.False);
    }

    [Test]
    public async Task Status_never_shows_the_connection_string()
    {
        await SetAsync("shop", "A_KEY");

        CliResult status = await Tool.RunAsync("status");

        string target = StoreLocation[(StoreLocation.IndexOf(':', StringComparison.Ordinal) + 1)..];
        Assert.That(status.Output, Does.StartWith("store: "));
        if (StoreKind == StoreUnderTest.PostgreSql)
        {
            Assert.That(status.Output, Does.Not.Contain(target));
        }
    }

    [Test]
    public async Task Verify_opens_every_envelope_and_exits_0_when_all_open()
    {
        await SetAsync("shop", "A_KEY");
        await SetAsync("--platform", "TOKEN");

        CliResult verify = await Tool.RunAsync("verify");

        Assert.That(verify.ExitCode, Is.Zero, verify.ToString());
        Assert.That(verify.Output, Does.Contain("verified 2 secret(s) in 2 scope(s): 2 open, 0 problem(s)"));
    }

    [Test]
    public async Task A_store_never_set_up_is_reported_and_gets_no_key([Values("list shop", "verify", "rotate", "delete shop A_KEY", "run --app shop -- true")] string command)
    {
        Tool.Environment.Remove("ROOTCX_MASTER_KEY");
        string keyFile = Path.Combine(Folder, "config", "master.key");
        if (StoreKind == StoreUnderTest.File)
        {
            Directory.CreateDirectory(StoreLocation["file:".Length..]);
        }

        CliResult result = await Tool.RunAsync(command.Split(' '));

        Assert.That(result.ExitCode, Is.EqualTo(1), result.ToString());
        Assert.That(result.Error, Does.Contain("was never set up"));
        Assert.That(File.Exists(keyFile), Is.False, "no key file is created for a store that only was looked at");
        Assert.That((await Tool.RunAsync("status")).Output, Does.Contain("key record: empty"));
    }

    [Test]
    [Platform(Exclude = "Win")]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task Set_on_a_new_store_without_a_key_creates_the_key_file_owner_only_and_says_so()
    {
        Tool.Environment.Remove("ROOTCX_MASTER_KEY");
        string keyFile = Path.Combine(Folder, "keys", "vault.key");

        CliResult set = await Tool.RunWithInputAsync(NewValue("first") + "\n", "set", "shop", "A_KEY", "--key-file", keyFile);
        CliResult list = await Tool.RunAsync("list", "shop", "--key-file", keyFile);

        Assert.That(set.ExitCode, Is.Zero, set.ToString());
        Assert.That(set.Error, Does.Contain($"created the master key file '{keyFile}'"));
        Assert.That(File.GetUnixFileMode(keyFile), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
        Assert.That(list.Output, Does.Contain("A_KEY"));
    }

    [Test]
    public async Task A_wrong_master_key_is_a_key_problem_exit_1_and_changes_nothing()
    {
        await SetAsync("shop", "A_KEY");
        Tool.Environment["ROOTCX_MASTER_KEY"] = TestKeys.Secondary;

        CliResult list = await Tool.RunAsync("list", "shop");
        CliResult set = await Tool.RunWithInputAsync(NewValue("other") + "\n", "set", "shop", "B_KEY");

        Assert.That(list.ExitCode, Is.EqualTo(1), list.ToString());
        Assert.That(list.Error, Does.Contain(TestKeys.IdOf(TestKeys.Primary).ToString()));
        Assert.That(set.ExitCode, Is.EqualTo(1), set.ToString());
    }

    [Test]
    public async Task A_malformed_master_key_is_a_key_problem_and_is_not_echoed()
    {
        Tool.Environment["ROOTCX_MASTER_KEY"] = "not-a-key-but-secret-looking-text";
        CliResult set = await Tool.RunWithInputAsync(NewValue("v") + "\n", "set", "shop", "A_KEY");

        Assert.That(set.ExitCode, Is.EqualTo(1), set.ToString());
        Assert.That(set.Error, Does.Contain("ROOTCX_MASTER_KEY").And.Not.Contain("secret-looking"));
    }

    [TestCase("bogus")]
    [TestCase("list")]
    [TestCase("list shop --platform")]
    [TestCase("set shop")]
    [TestCase("set shop A_KEY EXTRA")]
    [TestCase("set Bad/App A_KEY")]
    [TestCase("set shop 9_STARTS_WITH_A_DIGIT")]
    [TestCase("set _platform A_KEY")]
    [TestCase("run --app shop")]
    [TestCase("list shop --store redis:localhost")]
    public async Task Bad_input_is_one_line_on_stderr_and_exit_code_2(string command)
    {
        CliResult result = await Tool.RunWithInputAsync(NewValue("never-read") + "\n", command.Split(' '));

        Assert.That(result.ExitCode, Is.EqualTo(2), result.ToString());
        Assert.That(result.Error.TrimEnd(), Does.StartWith("rootcx-vault: ").And.Not.Contain("\n"));
        Assert.That(result.Error, Does.Not.Contain("   at "), "no stack trace");
        Assert.That(result.Output, Is.Empty);
    }

    [Test]
    public async Task An_empty_or_oversized_value_is_refused_with_exit_code_2()
    {
        CliResult empty = await Tool.RunWithInputAsync("\n", "set", "shop", "A_KEY");
        CliResult oversized = await Tool.RunWithInputAsync(new string('x', 32_001), "set", "shop", "A_KEY");

        Assert.That(empty.ExitCode, Is.EqualTo(2), empty.ToString());
        Assert.That(oversized.ExitCode, Is.EqualTo(2), oversized.ToString());
        Assert.That(oversized.Error, Does.Contain("32000"));
    }

    [Test]
    public async Task Without_a_store_the_tool_says_how_to_choose_one()
    {
        Tool.Environment.Remove("ROOTCX_VAULT_STORE");

        CliResult result = await Tool.RunAsync("list", "shop");

        Assert.That(result.ExitCode, Is.EqualTo(2), result.ToString());
        Assert.That(result.Error, Does.Contain("--store").And.Contain("ROOTCX_VAULT_STORE"));
    }

    [Test]
    public async Task The_store_option_wins_over_the_environment_variable()
    {
        await SetAsync("shop", "A_KEY");
        string location = StoreLocation;
        Tool.Environment["ROOTCX_VAULT_STORE"] = $"file:{Path.Combine(Folder, "elsewhere")}";

        CliResult list = await Tool.RunAsync("list", "shop", "--store", location);

        Assert.That(list.ExitCode, Is.Zero, list.ToString());
        Assert.That(list.Output, Does.Contain("A_KEY"));
    }

    [Test]
    public async Task Help_for_set_says_the_value_never_comes_from_the_command_line()
    {
        CliResult help = await Tool.RunAsync("set", "--help");

        Assert.That(help.ExitCode, Is.Zero);
        Assert.That(help.Output, Does.Contain("never taken from the command line"));
    }
}
