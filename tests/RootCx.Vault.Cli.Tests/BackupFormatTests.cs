using System.Text.Json;

namespace RootCx.Vault.Cli.Tests;

/// <summary>
/// A backup the tool wrote, opened by <see cref="BackupFile"/>, a decoder written from docs/FORMAT.md alone: the page
/// is what the tool does, so another implementation (or the Python recipe there) can restore a backup by hand.
/// </summary>
[Platform(Exclude = "Win")]
public sealed class BackupFormatTests() : BackupTestBase(StoreUnderTest.File)
{
    [Test]
    public async Task A_passphrase_backup_decodes_by_the_documented_layout_with_every_field_as_listed()
    {
        string b = await SetAsync("shop", "b_key");
        string a = await SetAsync("shop", "A_KEY");
        await SetAsync("shop", "A_KEY", a);
        string token = await SetAsync("--platform", "TOKEN");
        DateTimeOffset before = DateTimeOffset.UtcNow;
        CliResult export = await Tool.RunAsync("export", "--out", BackupPath, "--passphrase-file", PassphraseFile);
        Assert.That(export.ExitCode, Is.Zero, export.ToString());
        using JsonDocument listed = JsonDocument.Parse((await Tool.RunAsync("list", "shop", "--json")).Output);
        JsonElement aListed = listed.RootElement[0];

        BackupFile backup = BackupFile.Read(BackupPath);
        (List<BackupFile.Secret> secrets, ulong count) = backup.Decode(backup.KeyFromPassphrase(Passphrase));

        Assert.That(backup.Protection, Is.EqualTo(1));
        Assert.That(backup.Iterations, Is.EqualTo(600_000));
        Assert.That(backup.ExportedAt, Is.InRange(before.AddSeconds(-1), DateTimeOffset.UtcNow));
        Assert.That(count, Is.EqualTo(3));
        Assert.That(secrets.Select(s => (s.Namespace, s.Name, s.Value)), Is.EqualTo(new[] { ("_platform", "TOKEN", token), ("shop", "A_KEY", a), ("shop", "b_key", b) }), "ordered by namespace, then name ignoring case");
        Assert.That(secrets[1].Version, Is.EqualTo(2));
        Assert.That(secrets[1].CreatedAt, Is.EqualTo(aListed.GetProperty("createdAt").GetDateTimeOffset()));
        Assert.That(secrets[1].UpdatedAt, Is.EqualTo(aListed.GetProperty("updatedAt").GetDateTimeOffset()));
    }

    [Test]
    public async Task A_key_backup_has_no_salt_and_no_iterations_and_every_header_is_new()
    {
        await SetAsync("shop", "A_KEY");
        await ExportAsync();
        BackupFile first = BackupFile.Read(BackupPath);
        await ExportAsync("--force");
        BackupFile second = BackupFile.Read(BackupPath);

        Assert.That(first.Protection, Is.EqualTo(2));
        Assert.That(first.Iterations, Is.Zero);
        Assert.That(first.Header[10..26], Is.All.Zero);
        Assert.That(first.Header[26..42], Is.Not.EqualTo(second.Header[26..42]), "a random file id per backup");
        byte[] key = Convert.FromHexString((await File.ReadAllTextAsync(BackupKeyFile)).Trim());
        Assert.That(first.Decode(key).Secrets, Has.Count.EqualTo(1));
    }
}
