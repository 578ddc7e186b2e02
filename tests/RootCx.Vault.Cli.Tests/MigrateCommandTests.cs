using RootCx.Vault.Testing;

namespace RootCx.Vault.Cli.Tests;

/// <summary><c>migrate --to</c> between real stores, the tool started as a process: file to PostgreSQL, back, and file to file.</summary>
[TestFixture(StoreUnderTest.File, StoreUnderTest.PostgreSql)]
[TestFixture(StoreUnderTest.PostgreSql, StoreUnderTest.File)]
[TestFixture(StoreUnderTest.File, StoreUnderTest.File)]
public sealed class MigrateCommandTests(string sourceKind, string targetKind) : CliTestBase(sourceKind)
{
    private StoreUnderTest? _target;

    private string Target => _target!.Location;

    [SetUp]
    public async Task CreateTargetAsync() => _target = await StoreUnderTest.CreateAsync(targetKind, Path.Combine(Folder, "target"));

    [TearDown]
    public async Task DropTargetAsync()
    {
        if (_target is not null)
        {
            await _target.DisposeAsync();
        }
    }

    [Test]
    public async Task Migrate_copies_every_secret_sealed_with_the_key_record_and_needs_no_master_key()
    {
        Tool.Environment["ROOTCX_MASTER_KEY"] = TestKeys.Secondary;
        string old = await SetAsync("shop", "OLD_KEY");
        Tool.Environment["ROOTCX_MASTER_KEY"] = TestKeys.Primary;
        string previous = WriteFile("previous.key", TestKeys.Secondary + "\n");
        string[] withPrevious = ["--previous-key-file", previous];
        string stripe = await SetWithAsync(withPrevious, "shop", "Stripe_Key");
        await SetWithAsync(withPrevious, "--platform", "SLACK_TOKEN");
        Tool.Environment.Remove("ROOTCX_MASTER_KEY");

        CliResult migrate = await Tool.RunAsync("migrate", "--to", Target);

        Tool.Environment["ROOTCX_MASTER_KEY"] = TestKeys.Primary;
        CliResult status = await Tool.RunAsync("status", "--store", Target);
        CliResult verify = await Tool.RunAsync("verify", "--store", Target, "--previous-key-file", previous);
        CliResult list = await Tool.RunAsync("list", "shop", "--store", Target, "--previous-key-file", previous);
        Assert.Multiple(async () =>
        {
            Assert.That(migrate.ExitCode, Is.Zero, migrate.ToString());
            Assert.That(migrate.Output, Does.Contain("migrated 3 secret(s) in 2 scope(s)").And.Contain("3 copied, 0 already in the target; 0 problem(s)"));
            Assert.That(migrate.Error, Does.Contain("migrate (scopes): 2 of 2"), "without a terminal, progress is plain lines on stderr");
            Assert.That(status.Output, Does.Contain($"key {TestKeys.IdOf(TestKeys.Primary)}: 2 secret(s)").And.Contain($"key {TestKeys.IdOf(TestKeys.Secondary)}: 1 secret(s)"));
            Assert.That(verify.ExitCode, Is.Zero, verify.ToString());
            Assert.That(list.Output, Does.Contain("Stripe_Key").And.Contain("OLD_KEY"), "names keep their spelling");
            Assert.That(await ReadFromTargetAsync("shop", "Stripe_Key", previous), Is.EqualTo(stripe));
            Assert.That(await ReadFromTargetAsync("shop", "OLD_KEY", previous), Is.EqualTo(old));
        });
    }

    [Test]
    public async Task A_second_run_copies_nothing_and_the_check_still_passes()
    {
        await SetAsync("shop", "A_KEY");
        await SetAsync("shop", "B_KEY");

        CliResult first = await Tool.RunAsync("migrate", "--to", Target);
        CliResult again = await Tool.RunAsync("migrate", "--to", Target);

        Assert.That(first.ExitCode, Is.Zero, first.ToString());
        Assert.That(again.ExitCode, Is.Zero, again.ToString());
        Assert.That(again.Output, Does.Contain("0 copied, 2 already in the target; 0 problem(s)"));
    }

    [Test]
    public async Task Older_versions_and_deleted_secrets_stay_behind_and_the_operator_is_told()
    {
        await SetAsync("shop", "A_KEY");
        await SetAsync("shop", "A_KEY");
        await SetAsync("shop", "GONE");
        await Tool.RunAsync("delete", "shop", "GONE");

        CliResult migrate = await Tool.RunAsync("migrate", "--to", Target);

        Assert.That(migrate.ExitCode, Is.Zero, migrate.ToString());
        Assert.That(migrate.Output, Does.Contain("migrated 1 secret(s)"));
        Assert.That(migrate.Error, Does.Contain("not copied: 1 deleted secret(s) and 1 older version(s)"));
    }

    [Test]
    public async Task A_name_the_target_holds_with_other_content_is_a_conflict_and_is_left_as_it_is()
    {
        await SetAsync("shop", "A_KEY");
        await SetAsync("shop", "B_KEY");
        string theirs = NewValue("target-side");
        CliResult setInTarget = await Tool.RunWithInputAsync(theirs + "\n", "set", "shop", "a_key", "--store", Target);
        Assert.That(setInTarget.ExitCode, Is.Zero, setInTarget.ToString());

        CliResult migrate = await Tool.RunAsync("migrate", "--to", Target);

        Assert.That(migrate.ExitCode, Is.EqualTo(1), migrate.ToString());
        Assert.That(migrate.Output, Does.Contain("shop/A_KEY: conflict").And.Contain("1 copied, 1 already in the target; 1 problem(s)"));
        Assert.That(await ReadFromTargetAsync("shop", "a_key"), Is.EqualTo(theirs), "not overwritten, spelling included");
    }

    [Test]
    public async Task A_target_set_up_with_another_key_is_refused_with_exit_1_and_gets_nothing()
    {
        await SetAsync("shop", "A_KEY");
        Tool.Environment["ROOTCX_MASTER_KEY"] = TestKeys.Secondary;
        CliResult setInTarget = await Tool.RunWithInputAsync(NewValue("other") + "\n", "set", "other-app", "THEIRS", "--store", Target);
        Assert.That(setInTarget.ExitCode, Is.Zero, setInTarget.ToString());

        CliResult migrate = await Tool.RunAsync("migrate", "--to", Target);
        CliResult list = await Tool.RunAsync("list", "shop", "--store", Target);

        Assert.That(migrate.ExitCode, Is.EqualTo(1), migrate.ToString());
        Assert.That(migrate.Error.TrimEnd().Split('\n'), Has.Length.EqualTo(1));
        Assert.That(migrate.Error, Does.Contain("other master keys").And.Contain(TestKeys.IdOf(TestKeys.Primary).ToString()).And.Contain("Nothing was copied"));
        Assert.That(list.Output, Does.Not.Contain("A_KEY"));
    }

    [Test]
    public async Task Bad_input_is_one_line_on_stderr_with_exit_2()
    {
        await SetAsync("shop", "A_KEY");

        CliResult[] runs =
        [
            await Tool.RunAsync("migrate"),
            await Tool.RunAsync("migrate", "--to", "mysql:Server=db01;Password=hunter2"),
            await Tool.RunAsync("migrate", "--to", StoreLocation),
        ];

        Assert.Multiple(() =>
        {
            foreach (CliResult run in runs)
            {
                Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
                Assert.That(run.Error.TrimEnd().Split('\n'), Has.Length.EqualTo(1), run.ToString());
                Assert.That(run.Error, Does.Not.Contain("hunter2"), "a connection string is never echoed");
            }
        });
    }

    [Test]
    public async Task A_source_that_was_never_set_up_is_refused_and_the_target_is_not_touched()
    {
        if (StoreKind == StoreUnderTest.File)
        {
            CliResult missing = await Tool.RunAsync("migrate", "--to", Target);
            Assert.That(missing.ExitCode, Is.EqualTo(1), missing.ToString());
            Assert.That(missing.Error, Does.Contain("does not exist"));
            Assert.That(Directory.Exists(StoreLocation["file:".Length..]), Is.False, "a mistyped path does not become an empty store");
            Directory.CreateDirectory(StoreLocation["file:".Length..]);
        }

        CliResult empty = await Tool.RunAsync("migrate", "--to", Target);

        Assert.That(empty.ExitCode, Is.EqualTo(1), empty.ToString());
        Assert.That(empty.Error, Does.Contain("never set up"));
        if (targetKind == StoreUnderTest.File)
        {
            Assert.That(Directory.Exists(Target["file:".Length..]), Is.False, "the target was not even created");
        }
        else
        {
            CliResult status = await Tool.RunAsync("status", "--store", Target);
            Assert.That(status.Output, Does.Contain("key record: empty"));
        }
    }

    [Test]
    [Platform(Exclude = "Win")]
    public async Task Migrate_at_a_terminal_shows_a_progress_bar_and_no_plain_progress_lines()
    {
        if (!File.Exists("/usr/bin/script"))
        {
            Assert.Ignore("util-linux script is not installed: no pseudo-terminal to run the tool on.");
        }

        await SetAsync("shop", "A_KEY");
        using System.Diagnostics.Process tool = Tool.StartInTerminal("migrate", "--to", Target);
        tool.StandardInput.Close();
        string screen = await tool.StandardOutput.ReadToEndAsync();
        await tool.WaitForExitAsync();
        Tool.Record(screen);

        Assert.That(tool.ExitCode, Is.Zero, screen);
        Assert.That(screen, Does.Contain("100%").And.Contain("1 copied, 0 already in the target; 0 problem(s)"));
        Assert.That(screen, Does.Not.Contain("migrate (scopes): 1 of 1"));
    }

    private async Task<string> SetWithAsync(string[] options, string scope, string name)
    {
        string value = NewValue(name.ToLowerInvariant());
        string[] args = scope == "--platform" ? ["set", "--platform", name, .. options] : ["set", scope, name, .. options];
        CliResult result = await Tool.RunWithInputAsync(value + "\n", args);
        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        return value;
    }

    /// <summary>Reads a value from the target through <c>run</c>, whose child writes it to a file: the tool never prints it.</summary>
    private async Task<string> ReadFromTargetAsync(string app, string name, string? previousKeyFile = null)
    {
        string seen = Path.Combine(Folder, $"seen-{Guid.NewGuid():N}.txt");
        string[] previous = previousKeyFile is null ? [] : ["--previous-key-file", previousKeyFile];
        CliResult run = await Tool.RunAsync(["run", "--store", Target, .. previous, "--app", app, "--", "sh", "-c", $"printenv {name} > \"$0\"", seen]);
        Assert.That(run.ExitCode, Is.Zero, run.ToString());
        return (await File.ReadAllTextAsync(seen)).TrimEnd('\n');
    }
}
