using System.Security.Cryptography;

namespace RootCx.Vault.Cli.Tests;

/// <summary>
/// <c>verify</c> over damage made by hand in a file store, whose layout docs/FORMAT.md gives: each secret is
/// <c>scopes/&lt;namespace&gt;/&lt;NAME&gt;.secret</c>, ending with the envelope's tag and an 8-byte SHA-256 checksum.
/// </summary>
public sealed class VerifyDamageTests() : CliTestBase(StoreUnderTest.File)
{
    private const int ChecksumSize = 8;

    [Test]
    public async Task A_damaged_record_is_reported_by_scope_and_name_and_verify_exits_1()
    {
        await SetAsync("shop", "A_KEY");
        await SetAsync("--platform", "TOKEN");
        string file = SecretFile("shop", "A_KEY");
        byte[] content = await File.ReadAllBytesAsync(file);
        content[^1] ^= 0x01;
        await File.WriteAllBytesAsync(file, content);

        CliResult verify = await Tool.RunAsync("verify");

        Assert.That(verify.ExitCode, Is.EqualTo(1), verify.ToString());
        Assert.That(verify.Output, Does.Contain("shop: damaged record").And.Contain("A_KEY"));
        Assert.That(verify.Output, Does.Contain("1 open, 1 problem(s)"), "the platform scope is still verified");
    }

    [Test]
    public async Task An_envelope_that_fails_authentication_is_reported_by_scope_and_name_and_verify_exits_1()
    {
        await SetAsync("shop", "A_KEY");
        await SetAsync("shop", "B_KEY");
        string file = SecretFile("shop", "B_KEY");
        byte[] content = await File.ReadAllBytesAsync(file);

        // Flip a bit of the GCM tag, then make the record's checksum right again: only the cipher can tell.
        content[^(ChecksumSize + 1)] ^= 0x01;
        SHA256.HashData(content.AsSpan(0, content.Length - ChecksumSize))[..ChecksumSize].CopyTo(content.AsSpan(content.Length - ChecksumSize));
        await File.WriteAllBytesAsync(file, content);

        CliResult verify = await Tool.RunAsync("verify");

        Assert.That(verify.ExitCode, Is.EqualTo(1), verify.ToString());
        Assert.That(verify.Output, Does.Contain("shop/B_KEY: damaged: the envelope fails authentication"));
        Assert.That(verify.Output, Does.Contain("verified 2 secret(s) in 1 scope(s): 1 open, 1 problem(s)"));
    }

    [Test]
    public async Task A_command_on_a_store_folder_that_does_not_exist_creates_nothing()
    {
        string absent = Path.Combine(Folder, "mistyped");

        CliResult list = await Tool.RunAsync("list", "shop", "--store", $"file:{absent}");
        CliResult status = await Tool.RunAsync("status", "--store", $"file:{absent}");

        Assert.That(list.ExitCode, Is.EqualTo(1), list.ToString());
        Assert.That(status.ExitCode, Is.EqualTo(1), status.ToString());
        Assert.That(list.Error, Does.Contain("No store at"));
        Assert.That(Directory.Exists(absent), Is.False);
    }

    private string SecretFile(string @namespace, string name) =>
        Path.Combine(StoreLocation["file:".Length..], "scopes", @namespace, name + ".secret");
}
