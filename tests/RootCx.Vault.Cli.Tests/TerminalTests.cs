using System.Diagnostics;
using System.Text;

namespace RootCx.Vault.Cli.Tests;

/// <summary>The tool at a terminal (a pseudo-terminal from util-linux <c>script</c>): the prompt and the progress bar.</summary>
[Platform(Exclude = "Win")]
public sealed class TerminalTests() : CliTestBase(StoreUnderTest.File)
{
    [SetUp]
    public void RequireScript()
    {
        if (!File.Exists("/usr/bin/script"))
        {
            Assert.Ignore("util-linux script is not installed: no pseudo-terminal to run the tool on.");
        }
    }

    [Test]
    public async Task Set_at_a_terminal_prompts_without_echoing_the_value()
    {
        string value = NewValue("typed");
        using Process tool = Tool.StartInTerminal("set", "shop", "TYPED_KEY");
        var screen = new StringBuilder();
        Task<string> errors = tool.StandardError.ReadToEndAsync();

        await ReadUntilAsync(tool, screen, "(not echoed): ");
        await TypeAsync(tool, value);
        screen.Append(await tool.StandardOutput.ReadToEndAsync());
        await tool.WaitForExitAsync();
        Tool.Record(screen.ToString());
        Tool.Record(await errors);

        Assert.That(tool.ExitCode, Is.Zero, screen.ToString());
        Assert.That(screen.ToString(), Does.Contain("set TYPED_KEY in shop"));
        string seen = Path.Combine(Folder, "seen.txt");
        await Tool.RunAsync("run", "--app", "shop", "--", "sh", "-c", "printenv TYPED_KEY > \"$0\"", seen);
        Assert.That((await File.ReadAllTextAsync(seen)).TrimEnd(), Is.EqualTo(value), "what was typed is what was stored");
    }

    [Test]
    public async Task Rotate_at_a_terminal_shows_a_progress_bar_and_no_plain_progress_lines()
    {
        await SetAsync("shop", "A_KEY");
        using Process tool = Tool.StartInTerminal("rotate");
        tool.StandardInput.Close();
        string screen = await tool.StandardOutput.ReadToEndAsync();
        await tool.WaitForExitAsync();
        Tool.Record(screen);

        Assert.That(tool.ExitCode, Is.Zero, screen);
        Assert.That(screen, Does.Contain("100%").And.Contain("re-sealed 0 of 1"));
        Assert.That(screen, Does.Not.Contain("rotate: 1 of 1"));
    }

    [Test]
    public async Task Export_at_a_terminal_asks_for_the_passphrase_twice_without_echo_and_shows_a_progress_bar()
    {
        await SetAsync("shop", "A_KEY");
        string passphrase = NewValue("typed-passphrase");
        string backup = Path.Combine(Folder, "backup.rcxb");

        (int exitCode, string screen) = await ExportTypingAsync(backup, passphrase, passphrase);
        Tool.Environment["ROOTCX_BACKUP_PASSPHRASE"] = passphrase;
        CliResult import = await Tool.RunAsync("import", backup, "--mode", "merge");

        Assert.That(exitCode, Is.Zero, screen);
        Assert.That(screen, Does.Contain("Type it again: ").And.Contain("100%").And.Contain("exported 1 secret(s)"));
        Assert.That(screen, Does.Not.Contain("export: 1 of 1"));
        Assert.That(import.ExitCode, Is.Zero, import.ToString());
        Assert.That(import.Output, Does.Contain("1 unchanged"), "what was typed is the passphrase");
    }

    [Test]
    public async Task Export_at_a_terminal_with_two_different_passphrases_is_bad_input_and_writes_nothing()
    {
        await SetAsync("shop", "A_KEY");
        string backup = Path.Combine(Folder, "backup.rcxb");

        (int exitCode, string screen) = await ExportTypingAsync(backup, NewValue("first-passphrase"), NewValue("second-passphrase"));

        Assert.That(exitCode, Is.EqualTo(2), screen);
        Assert.That(screen, Does.Contain("The two passphrases differ"));
        Assert.That(Directory.GetFiles(Folder, "*backup*"), Is.Empty);
    }

    private async Task<(int ExitCode, string Screen)> ExportTypingAsync(string backup, string first, string second)
    {
        using Process tool = Tool.StartInTerminal("export", "--out", backup);
        var screen = new StringBuilder();
        Task<string> errors = tool.StandardError.ReadToEndAsync();
        await ReadUntilAsync(tool, screen, "(not echoed): ");
        await TypeAsync(tool, first);
        await ReadUntilAsync(tool, screen, "again: ");
        await TypeAsync(tool, second);
        screen.Append(await tool.StandardOutput.ReadToEndAsync());
        await tool.WaitForExitAsync();
        Tool.Record(screen.ToString());
        Tool.Record(await errors);
        return (tool.ExitCode, screen.ToString());
    }

    // .NET turns echo off only while ReadKey runs, and the prompt is written just before it: keys sent the instant the
    // prompt shows could be echoed by the terminal. A person types after reading the prompt; so does this.
    private static async Task TypeAsync(Process tool, string text)
    {
        await Task.Delay(TimeSpan.FromMilliseconds(500));
        await tool.StandardInput.WriteAsync(text + "\r");
        await tool.StandardInput.FlushAsync();
    }

    private static async Task ReadUntilAsync(Process tool, StringBuilder screen, string text)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var buffer = new char[256];
        while (!screen.ToString().Contains(text, StringComparison.Ordinal))
        {
            int read = await tool.StandardOutput.ReadAsync(buffer, timeout.Token);
            Assert.That(read, Is.Positive, $"the terminal closed before showing '{text}': {screen}");
            screen.Append(buffer, 0, read);
        }
    }
}
