using System.Text;
using RootCx.Vault.Testing;

namespace RootCx.Vault.Cli.Tests;

/// <summary><c>export</c> and <c>import</c> between two stores under different master keys, on each store kind.</summary>
[TestFixture(StoreUnderTest.File)]
[TestFixture(StoreUnderTest.PostgreSql)]
[Platform(Exclude = "Win")]
public sealed class ExportImportTests(string storeKind) : BackupTestBase(storeKind)
{
    [Test]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task A_round_trip_restores_every_scope_including_platform_into_an_empty_store_under_another_master_key()
    {
        string stripe = await SetAsync("shop", "STRIPE_KEY");
        string db = await SetAsync("shop", "Db_Url");
        string other = await SetAsync("other-app", "OTHER_KEY");
        string platform = await SetAsync("--platform", "SHARED_TOKEN");

        CliResult export = await ExportAsync();
        CliResult import = await ImportAsync("merge");

        Assert.That(export.Output, Does.Contain("exported 4 secret(s) in 3 scope(s)"));
        Assert.That(export.Error, Does.Contain("export: 4 of 4"), "without a terminal, progress is plain lines on stderr");
        Assert.That(import.ExitCode, Is.Zero, import.ToString());
        Assert.That(import.Output, Does.Contain("4 added, 0 updated, 0 unchanged, 0 deleted, 0 conflict(s)"));
        Assert.That(await TargetContentAsync("shop", "other-app", "_platform"), Is.EqualTo(new[]
        {
            $"_platform/SHARED_TOKEN={platform}", $"other-app/OTHER_KEY={other}", $"shop/Db_Url={db}", $"shop/STRIPE_KEY={stripe}",
        }));
        Assert.That((await OnTargetAsync("verify")).ExitCode, Is.Zero);
        Assert.That((await OnTargetAsync("status")).Output, Does.Contain($"key {TestKeys.IdOf(TestKeys.Secondary)}: 4 secret(s)"));
        Assert.That(File.GetUnixFileMode(BackupPath), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
        Assert.That(TemporaryFiles(), Is.Empty, "no temporary file is left beside the backup");
        AssertHoldsNoValue(BackupPath, stripe, db, other, platform);
    }

    [Test]
    public async Task A_passphrase_from_a_file_opens_with_the_same_passphrase_from_the_environment()
    {
        string value = await SetAsync("shop", "STRIPE_KEY");

        CliResult export = await Tool.RunAsync("export", "--out", BackupPath, "--passphrase-file", PassphraseFile);
        Tool.Environment["ROOTCX_BACKUP_PASSPHRASE"] = Passphrase;
        CliResult import = await OnTargetAsync("import", BackupPath, "--mode", "merge");

        Assert.That(export.ExitCode, Is.Zero, export.ToString());
        Assert.That(import.ExitCode, Is.Zero, import.ToString());
        Assert.That(await TargetValueAsync("shop", "STRIPE_KEY"), Is.EqualTo(value));
        Assert.That(BackupFile.Read(BackupPath).Iterations, Is.EqualTo(600_000));
        AssertHoldsNoValue(BackupPath, value);
    }

    [Test]
    public async Task The_scope_option_exports_only_the_scopes_named_and_a_scope_holding_nothing_is_refused()
    {
        string shop = await SetAsync("shop", "STRIPE_KEY");
        await SetAsync("other-app", "OTHER_KEY");
        string platform = await SetAsync("--platform", "SHARED_TOKEN");

        CliResult empty = await Tool.RunAsync("export", "--out", BackupPath, "--backup-key-file", BackupKeyFile, "--scope", "no-such-app");
        Assert.That(empty.ExitCode, Is.EqualTo(1), empty.ToString());
        Assert.That(empty.Error, Does.Contain("no-such-app holds no secret"));
        Assert.That(File.Exists(BackupPath), Is.False);

        CliResult export = await ExportAsync("--scope", "shop", "--scope", "_platform");
        CliResult import = await ImportAsync("merge");

        Assert.That(export.Output, Does.Contain("exported 2 secret(s) in 2 scope(s)"));
        Assert.That(import.ExitCode, Is.Zero, import.ToString());
        Assert.That(await TargetContentAsync("shop", "other-app", "_platform"), Is.EqualTo(new[] { $"_platform/SHARED_TOKEN={platform}", $"shop/STRIPE_KEY={shop}" }));
    }

    [Test]
    public async Task A_wrong_passphrase_is_refused_with_exit_1_and_the_target_is_unchanged()
    {
        await SetAsync("shop", "STRIPE_KEY");
        string kept = await SetOnTargetAsync("shop", "STRIPE_KEY");
        await Tool.RunAsync("export", "--out", BackupPath, "--passphrase-file", PassphraseFile);
        string wrong = WriteFile("wrong.txt", "incorrect horse battery staple\n");

        CliResult import = await OnTargetAsync("import", BackupPath, "--mode", "replace", "--overwrite-newer", "--passphrase-file", wrong);

        Assert.That(import.ExitCode, Is.EqualTo(1), import.ToString());
        Assert.That(import.Error.TrimEnd(), Is.EqualTo("rootcx-vault: The passphrase or backup key is wrong, or the backup is damaged: its first record fails authentication."));
        Assert.That(await TargetContentAsync("shop"), Is.EqualTo(new[] { $"shop/STRIPE_KEY={kept}" }));
    }

    [Test]
    public async Task A_wrong_passphrase_leaves_a_target_that_was_never_set_up_as_it_was()
    {
        await SetAsync("shop", "STRIPE_KEY");
        await ExportAsync();
        string otherKey = WriteFile("other.key", new string('a', 64) + "\n");

        CliResult import = await OnTargetAsync("import", BackupPath, "--mode", "merge", "--backup-key-file", otherKey);
        CliResult status = await OnTargetAsync("status");

        Assert.That(import.ExitCode, Is.EqualTo(1), import.ToString());
        Assert.That(status.ExitCode == 1 || status.Output.Contains("key record: empty", StringComparison.Ordinal), Is.True, status.ToString());
    }

    [Test]
    public async Task The_wrong_kind_of_protection_for_a_backup_is_bad_input_exit_2()
    {
        await SetAsync("shop", "STRIPE_KEY");
        await ExportAsync();

        CliResult withPassphrase = await OnTargetAsync("import", BackupPath, "--mode", "merge", "--passphrase-file", PassphraseFile);

        Assert.That(withPassphrase.ExitCode, Is.EqualTo(2), withPassphrase.ToString());
        Assert.That(withPassphrase.Error, Does.Contain("protected by a backup key"));
    }

    [Test]
    public async Task Merge_keeps_secrets_the_backup_does_not_hold_and_replace_deletes_them_in_the_scopes_it_holds()
    {
        string shop = await SetAsync("shop", "STRIPE_KEY");
        string targetOnly = await SetOnTargetAsync("shop", "OLD_KEY");
        string otherScope = await SetOnTargetAsync("other-app", "UNRELATED");
        await Task.Delay(10);
        await ExportAsync();

        CliResult merge = await ImportAsync("merge");
        string[] afterMerge = await TargetContentAsync("shop", "other-app");
        CliResult replace = await ImportAsync("replace");
        string[] afterReplace = await TargetContentAsync("shop", "other-app");

        Assert.That(merge.ExitCode, Is.Zero, merge.ToString());
        Assert.That(merge.Output, Does.Contain("1 added, 0 updated, 0 unchanged, 0 deleted, 0 conflict(s)"));
        Assert.That(afterMerge, Is.EqualTo(new[] { $"other-app/UNRELATED={otherScope}", $"shop/OLD_KEY={targetOnly}", $"shop/STRIPE_KEY={shop}" }));
        Assert.That(replace.ExitCode, Is.Zero, replace.ToString());
        Assert.That(replace.Output, Does.Contain("0 added, 0 updated, 1 unchanged, 1 deleted, 0 conflict(s)"));
        Assert.That(afterReplace, Is.EqualTo(new[] { $"other-app/UNRELATED={otherScope}", $"shop/STRIPE_KEY={shop}" }), "a scope the backup does not hold is left alone");
    }

    [Test]
    public async Task A_target_value_older_than_the_backup_is_overwritten()
    {
        await SetOnTargetAsync("shop", "STRIPE_KEY");
        await Task.Delay(10);
        string newer = await SetAsync("shop", "STRIPE_KEY");
        await ExportAsync();

        CliResult import = await ImportAsync("merge");

        Assert.That(import.ExitCode, Is.Zero, import.ToString());
        Assert.That(import.Output, Does.Contain("0 added, 1 updated, 0 unchanged"));
        Assert.That(await TargetValueAsync("shop", "STRIPE_KEY"), Is.EqualTo(newer));
    }

    [Test]
    public async Task A_target_value_newer_than_the_backup_is_a_conflict_named_on_stderr_and_kept_until_overwrite_newer()
    {
        string older = await SetAsync("shop", "STRIPE_KEY");
        string same = await SetAsync("shop", "SAME_KEY");
        await ExportAsync();
        await Task.Delay(10);
        string newer = await SetOnTargetAsync("shop", "STRIPE_KEY");
        await SetOnTargetAsync("shop", "SAME_KEY", same);

        CliResult import = await ImportAsync("merge");
        string kept = await TargetValueAsync("shop", "STRIPE_KEY");
        CliResult forced = await ImportAsync("merge", "--overwrite-newer");

        Assert.That(import.ExitCode, Is.EqualTo(3), import.ToString());
        Assert.That(import.Output, Does.Contain("0 added, 0 updated, 1 unchanged, 0 deleted, 1 conflict(s)"), "the same value is unchanged, whatever its time");
        Assert.That(import.Error, Does.Contain("conflict: shop/STRIPE_KEY: the store's value").And.Contain("--overwrite-newer"));
        Assert.That(kept, Is.EqualTo(newer));
        Assert.That(forced.ExitCode, Is.Zero, forced.ToString());
        Assert.That(forced.Output, Does.Contain("1 updated"));
        Assert.That(await TargetValueAsync("shop", "STRIPE_KEY"), Is.EqualTo(older));
    }

    [Test]
    public async Task Replace_keeps_a_secret_written_after_the_export_began_as_a_conflict_until_overwrite_newer()
    {
        await SetAsync("shop", "STRIPE_KEY");
        string before = await SetOnTargetAsync("shop", "WRITTEN_BEFORE");
        await Task.Delay(10);
        await ExportAsync();
        await Task.Delay(10);
        string after = await SetOnTargetAsync("shop", "WRITTEN_AFTER");

        CliResult replace = await ImportAsync("replace");
        string[] content = await TargetContentAsync("shop");
        CliResult forced = await ImportAsync("replace", "--overwrite-newer");

        Assert.That(replace.ExitCode, Is.EqualTo(3), replace.ToString());
        Assert.That(replace.Output, Does.Contain("1 added, 0 updated, 0 unchanged, 1 deleted, 1 conflict(s)"));
        Assert.That(replace.Error, Does.Contain("conflict: shop/WRITTEN_AFTER: not in the backup"));
        Assert.That(content, Has.Member($"shop/WRITTEN_AFTER={after}").And.No.Member($"shop/WRITTEN_BEFORE={before}"));
        Assert.That(forced.ExitCode, Is.Zero, forced.ToString());
        Assert.That(await TargetNamesAsync("shop"), Is.EqualTo(new[] { "STRIPE_KEY" }));
    }

    [Test]
    public async Task Importing_the_same_backup_twice_changes_nothing_the_second_time()
    {
        await SetAsync("shop", "A_KEY");
        await SetAsync("--platform", "TOKEN");
        await ExportAsync();

        await ImportAsync("replace");
        CliResult again = await ImportAsync("replace");

        Assert.That(again.ExitCode, Is.Zero, again.ToString());
        Assert.That(again.Output, Does.Contain("0 added, 0 updated, 2 unchanged, 0 deleted, 0 conflict(s)"));
    }

    [Test]
    public async Task An_existing_out_file_is_not_overwritten_without_force()
    {
        await SetAsync("shop", "A_KEY");
        File.WriteAllText(BackupPath, "precious");

        CliResult refused = await Tool.RunAsync("export", "--out", BackupPath, "--backup-key-file", BackupKeyFile);
        string untouched = await File.ReadAllTextAsync(BackupPath);
        CliResult forced = await Tool.RunAsync("export", "--out", BackupPath, "--backup-key-file", BackupKeyFile, "--force");

        Assert.That(refused.ExitCode, Is.EqualTo(2), refused.ToString());
        Assert.That(refused.Error, Does.Contain("exists; --force replaces it"));
        Assert.That(untouched, Is.EqualTo("precious"));
        Assert.That(forced.ExitCode, Is.Zero, forced.ToString());
        Assert.That(BackupFile.Read(BackupPath).Records, Has.Count.EqualTo(2));
        Assert.That(TemporaryFiles(), Is.Empty);
    }

    [Test]
    public async Task A_failed_export_leaves_no_file_and_no_temporary_file()
    {
        await SetAsync("shop", "A_KEY");
        Tool.Environment["ROOTCX_MASTER_KEY"] = TestKeys.Secondary;

        CliResult export = await Tool.RunAsync("export", "--out", BackupPath, "--backup-key-file", BackupKeyFile);

        Assert.That(export.ExitCode, Is.EqualTo(1), export.ToString());
        Assert.That(File.Exists(BackupPath), Is.False);
        Assert.That(TemporaryFiles(), Is.Empty);
    }

    [Test]
    public async Task Export_without_any_passphrase_and_no_terminal_is_bad_input_and_writes_nothing()
    {
        await SetAsync("shop", "A_KEY");
        string shortPassphrase = WriteFile("short.txt", "too short\n");

        CliResult none = await Tool.RunAsync("export", "--out", BackupPath);
        CliResult tooShort = await Tool.RunAsync("export", "--out", BackupPath, "--passphrase-file", shortPassphrase);
        CliResult both = await Tool.RunAsync("export", "--out", BackupPath, "--passphrase-file", PassphraseFile, "--backup-key-file", BackupKeyFile);

        Assert.That(none.ExitCode, Is.EqualTo(2), none.ToString());
        Assert.That(none.Error, Does.Contain("ROOTCX_BACKUP_PASSPHRASE"));
        Assert.That(tooShort.ExitCode, Is.EqualTo(2), tooShort.ToString());
        Assert.That(tooShort.Error, Does.Contain("at least 12 characters"));
        Assert.That(both.ExitCode, Is.EqualTo(2), both.ToString());
        Assert.That(File.Exists(BackupPath), Is.False);
        Assert.That(TemporaryFiles(), Is.Empty);
    }

    [Test]
    public async Task A_backup_key_file_that_is_not_a_key_is_a_key_problem_and_is_not_echoed()
    {
        await SetAsync("shop", "A_KEY");
        string notAKey = WriteFile("not.key", "secret-looking-garbage\n");

        CliResult export = await Tool.RunAsync("export", "--out", BackupPath, "--backup-key-file", notAKey);

        Assert.That(export.ExitCode, Is.EqualTo(1), export.ToString());
        Assert.That(export.Error, Does.Contain("64 hex characters").And.Not.Contain("garbage"));
    }

    [Test]
    public async Task Export_of_a_store_never_set_up_is_refused_and_creates_nothing()
    {
        CliResult export = await OnTargetAsync("export", "--out", BackupPath, "--backup-key-file", BackupKeyFile);

        Assert.That(export.ExitCode, Is.EqualTo(1), export.ToString());
        Assert.That(File.Exists(BackupPath), Is.False);
    }

    [Test]
    public async Task Import_into_a_new_store_without_a_configured_key_sets_it_up_and_creates_the_key_file()
    {
        string value = await SetAsync("shop", "A_KEY");
        await ExportAsync();
        string keyFile = Path.Combine(Folder, "target-keys", "vault.key");
        Tool.Environment.Remove("ROOTCX_MASTER_KEY");

        CliResult import = await Tool.RunAsync("import", BackupPath, "--mode", "merge", "--backup-key-file", BackupKeyFile, "--store", TargetLocation, "--key-file", keyFile);
        string seen = Path.Combine(Folder, "seen.txt");
        CliResult run = await Tool.RunAsync("run", "--app", "shop", "--store", TargetLocation, "--key-file", keyFile, "--", "sh", "-c", "printenv A_KEY > \"$0\"", seen);

        Assert.That(import.ExitCode, Is.Zero, import.ToString());
        Assert.That(import.Error, Does.Contain($"created the master key file '{keyFile}'"));
        Assert.That(run.ExitCode, Is.Zero, run.ToString());
        Assert.That((await File.ReadAllTextAsync(seen)).TrimEnd(), Is.EqualTo(value));
    }

    [TestCase("import backup.rcxb")]
    [TestCase("import backup.rcxb --mode overwrite")]
    [TestCase("import --mode merge")]
    [TestCase("export")]
    [TestCase("export --out x.rcxb --scope Bad/App")]
    [TestCase("export --out x.rcxb --scope _reserved")]
    public async Task Bad_input_is_one_line_on_stderr_and_exit_code_2(string command)
    {
        await SetAsync("shop", "A_KEY");

        CliResult result = await Tool.RunAsync(command.Split(' '));

        Assert.That(result.ExitCode, Is.EqualTo(2), result.ToString());
        Assert.That(result.Error.TrimEnd(), Does.StartWith("rootcx-vault: ").And.Not.Contain("\n"));
        Assert.That(result.Output, Is.Empty);
    }

    [Test]
    public async Task Help_says_where_the_passphrase_comes_from_and_that_it_never_comes_from_the_command_line()
    {
        CliResult export = await Tool.RunAsync("export", "--help");
        CliResult import = await Tool.RunAsync("import", "--help");

        Assert.That(export.Output, Does.Contain("ROOTCX_BACKUP_PASSPHRASE").And.Contain("PBKDF2-HMAC-SHA256").And.Contain("Never from the command line"));
        Assert.That(import.Output, Does.Contain("--mode").And.Contain("--overwrite-newer").And.Contain("3 when conflicts"));
    }

    private static void AssertHoldsNoValue(string path, params string[] values)
    {
        byte[] content = File.ReadAllBytes(path);
        foreach (string value in values)
        {
            Assert.That(content.AsSpan().IndexOf(Encoding.UTF8.GetBytes(value)), Is.EqualTo(-1), "a value appears in the backup in the clear");
        }
    }
}
