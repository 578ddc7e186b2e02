using System.Buffers.Binary;

namespace RootCx.Vault.Cli.Tests;

/// <summary>
/// Backups damaged by hand, as docs/FORMAT.md lays them out (<see cref="BackupFile"/>): every damage is refused with
/// exit 1 before the target is touched, also when only the last record is damaged, after secrets that still open.
/// </summary>
[TestFixture(StoreUnderTest.File)]
[TestFixture(StoreUnderTest.PostgreSql)]
[Platform(Exclude = "Win")]
public sealed class BackupTamperTests(string storeKind) : BackupTestBase(storeKind)
{
    private string _kept = "";

    [SetUp]
    public async Task ExportThreeSecretsOverATargetThatHoldsOneAsync()
    {
        await SetAsync("shop", "A_KEY");
        await SetAsync("shop", "B_KEY");
        await SetAsync("--platform", "TOKEN");
        _kept = await SetOnTargetAsync("shop", "A_KEY");
        await Task.Delay(10);
        await ExportAsync();
    }

    [TestCase(5, TestName = "A changed protection byte is refused")]
    [TestCase(30, TestName = "A changed file id is refused")]
    [TestCase(45, TestName = "A changed export time is refused")]
    [TestCase(BackupFile.HeaderSize + 20, TestName = "A changed byte in the first record is refused")]
    [TestCase(-1, TestName = "A changed byte in the end marker's tag is refused")]
    public async Task A_changed_byte_is_refused(int offset)
    {
        byte[] content = await File.ReadAllBytesAsync(BackupPath);
        content[offset < 0 ? content.Length + offset : offset] ^= 0x01;
        await File.WriteAllBytesAsync(BackupPath, content);

        await AssertRefusedAsync();
    }

    [Test]
    public async Task A_damaged_last_secret_is_found_before_the_secrets_ahead_of_it_are_written()
    {
        BackupFile backup = BackupFile.Read(BackupPath);
        backup.Records[^2][20] ^= 0x01;
        backup.Write(BackupPath);

        string error = await AssertRefusedAsync();

        Assert.That(error, Does.Contain("record 2"));
    }

    [Test]
    public async Task A_file_cut_short_in_a_record_is_refused()
    {
        byte[] content = await File.ReadAllBytesAsync(BackupPath);
        await File.WriteAllBytesAsync(BackupPath, content[..^5]);

        Assert.That(await AssertRefusedAsync(), Does.Contain("cut short"));
    }

    [Test]
    public async Task A_file_cut_short_between_records_is_refused()
    {
        BackupFile backup = BackupFile.Read(BackupPath);
        backup.Records.RemoveAt(backup.Records.Count - 1);
        backup.Write(BackupPath);

        await AssertRefusedAsync();
    }

    [Test]
    public async Task Swapped_records_are_refused()
    {
        BackupFile backup = BackupFile.Read(BackupPath);
        (backup.Records[0], backup.Records[1]) = (backup.Records[1], backup.Records[0]);
        backup.Write(BackupPath);

        await AssertRefusedAsync();
    }

    [Test]
    public async Task A_dropped_record_is_refused()
    {
        BackupFile backup = BackupFile.Read(BackupPath);
        backup.Records.RemoveAt(1);
        backup.Write(BackupPath);

        await AssertRefusedAsync();
    }

    [Test]
    public async Task A_record_spliced_in_from_another_backup_under_the_same_key_is_refused()
    {
        BackupFile first = BackupFile.Read(BackupPath);
        await ExportAsync("--force");
        BackupFile second = BackupFile.Read(BackupPath);
        second.Records[1] = first.Records[1];
        second.Write(BackupPath);

        await AssertRefusedAsync();
    }

    [TestCase(1u, TestName = "A backup asking for 1 PBKDF2 iteration is refused")]
    [TestCase(99_999u, TestName = "A backup asking for fewer PBKDF2 iterations than the floor is refused")]
    [TestCase(uint.MaxValue, TestName = "A backup asking for billions of PBKDF2 iterations is refused")]
    public async Task An_iteration_count_out_of_bounds_is_refused(uint iterations)
    {
        await Tool.RunAsync("export", "--out", BackupPath, "--passphrase-file", PassphraseFile, "--force");
        byte[] content = await File.ReadAllBytesAsync(BackupPath);
        BinaryPrimitives.WriteUInt32BigEndian(content.AsSpan(6), iterations);
        await File.WriteAllBytesAsync(BackupPath, content);

        string error = await AssertRefusedAsync("--passphrase-file", PassphraseFile);

        Assert.That(error, Does.Contain($"{iterations} PBKDF2 iterations"));
    }

    [Test]
    public async Task A_file_that_is_not_a_backup_or_does_not_exist_is_refused()
    {
        await File.WriteAllTextAsync(BackupPath, "this is not a backup at all");
        Assert.That(await AssertRefusedAsync(), Does.Contain("not a rootcx-vault backup"));

        File.Delete(BackupPath);
        Assert.That(await AssertRefusedAsync(), Does.Contain("Could not read the backup"));
    }

    /// <summary>Imports with replace and --overwrite-newer, which would change the target most; asserts nothing changed.</summary>
    private async Task<string> AssertRefusedAsync(params string[] protection)
    {
        string[] args = protection.Length > 0
            ? ["import", BackupPath, "--mode", "replace", "--overwrite-newer", .. protection]
            : ["import", BackupPath, "--mode", "replace", "--overwrite-newer", "--backup-key-file", BackupKeyFile];
        CliResult import = await OnTargetAsync(args);

        Assert.That(import.ExitCode, Is.EqualTo(1), import.ToString());
        Assert.That(import.Error.TrimEnd(), Does.StartWith("rootcx-vault: ").And.Not.Contain("\n"));
        Assert.That(import.Output, Is.Empty);
        Assert.That(await TargetContentAsync("shop", "_platform"), Is.EqualTo(new[] { $"shop/A_KEY={_kept}" }), "the target is unchanged");
        return import.Error;
    }
}
