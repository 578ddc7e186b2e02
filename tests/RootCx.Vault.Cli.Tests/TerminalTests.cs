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
        await tool.StandardInput.WriteAsync(value + "\r");
        await tool.StandardInput.FlushAsync();
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
