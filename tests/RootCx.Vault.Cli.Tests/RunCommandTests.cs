using System.Diagnostics;

namespace RootCx.Vault.Cli.Tests;

/// <summary>
/// <c>run</c> with real children. A child writes what it sees to a file, never to the tool's stdout, so the leak check
/// still covers everything the tool itself wrote.
/// </summary>
[TestFixture(StoreUnderTest.File)]
[TestFixture(StoreUnderTest.PostgreSql)]
[Platform(Exclude = "Win")]
public sealed class RunCommandTests(string storeKind) : CliTestBase(storeKind)
{
    [Test]
    public async Task The_child_gets_the_app_secrets_but_not_the_master_key_or_the_store()
    {
        string stripe = await SetAsync("shop", "STRIPE_KEY");
        string other = await SetAsync("other-app", "OTHER_KEY");
        string platform = await SetAsync("--platform", "SHARED_TOKEN");
        string seen = Path.Combine(Folder, "seen.env");

        CliResult run = await Tool.RunAsync("run", "--app", "shop", "--", "sh", "-c", "/usr/bin/env > \"$0\"", seen);

        Assert.That(run.ExitCode, Is.Zero, run.ToString());
        string environment = await File.ReadAllTextAsync(seen);
        Assert.That(environment, Does.Contain($"STRIPE_KEY={stripe}\n"));
        Assert.That(environment, Does.Not.Contain(other).And.Not.Contain(platform), "other scopes stay out");
        Assert.That(environment, Does.Not.Contain("ROOTCX_MASTER_KEY").And.Not.Contain("ROOTCX_VAULT_STORE"));
        Assert.That(environment, Does.Contain("PATH="), "the tool's own environment is passed on");
    }

    [Test]
    public async Task Include_platform_adds_platform_secrets_and_an_app_secret_of_the_same_name_wins()
    {
        string platformOnly = await SetAsync("--platform", "SHARED_TOKEN");
        await SetAsync("--platform", "API_URL");
        string app = await SetAsync("shop", "API_URL");
        string seen = Path.Combine(Folder, "seen.env");

        CliResult run = await Tool.RunAsync("run", "--app", "shop", "--include-platform", "--", "sh", "-c", "/usr/bin/env > \"$0\"", seen);

        Assert.That(run.ExitCode, Is.Zero, run.ToString());
        string environment = await File.ReadAllTextAsync(seen);
        Assert.That(environment, Does.Contain($"SHARED_TOKEN={platformOnly}\n").And.Contain($"API_URL={app}\n"));
    }

    [Test]
    public async Task A_secret_named_like_a_runtime_owned_variable_is_not_injected_and_named_on_stderr()
    {
        await SetAsync("shop", "LD_PRELOAD");
        string seen = Path.Combine(Folder, "seen.env");

        CliResult run = await Tool.RunAsync("run", "--app", "shop", "--", "sh", "-c", "/usr/bin/env > \"$0\"", seen);

        Assert.That(run.ExitCode, Is.Zero, run.ToString());
        Assert.That(await File.ReadAllTextAsync(seen), Does.Not.Contain("LD_PRELOAD"));
        Assert.That(run.Error, Does.Contain("LD_PRELOAD is a runtime-owned variable"));
    }

    [Test]
    public async Task The_tool_exits_with_the_child_exit_code()
    {
        await SetAsync("shop", "STRIPE_KEY");

        CliResult run = await Tool.RunAsync("run", "--app", "shop", "--", "sh", "-c", "exit 7");
        CliResult missing = await Tool.RunAsync("run", "--app", "shop", "--", "no-such-command-here");

        Assert.That(run.ExitCode, Is.EqualTo(7), run.ToString());
        Assert.That(missing.ExitCode, Is.EqualTo(127), missing.ToString());
        Assert.That(missing.Error, Does.Contain("no-such-command-here"));
    }

    [TestCase("TERM", 42)]
    [TestCase("INT", 43)]
    public async Task A_signal_to_the_tool_is_forwarded_to_the_child_which_decides_the_exit_code(string signal, int exitCode)
    {
        await SetAsync("shop", "STRIPE_KEY");
        using Process tool = Tool.Start("run", "--app", "shop", "--", "sh", "-c",
            "trap 'exit 42' TERM; trap 'exit 43' INT; echo ready; while :; do sleep 0.05; done");
        tool.StandardInput.Close();
        Task<string> errors = tool.StandardError.ReadToEndAsync();

        string? first = await tool.StandardOutput.ReadLineAsync();
        Assert.That(first, Is.EqualTo("ready"));
        await SendAsync(signal, tool.Id);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await tool.WaitForExitAsync(timeout.Token);
        Tool.Record(await errors);

        Assert.That(tool.ExitCode, Is.EqualTo(exitCode), await errors);
    }

    [Test]
    public async Task Watch_restarts_the_child_with_the_new_value_when_a_secret_changes()
    {
        string first = await SetAsync("shop", "STRIPE_KEY");
        string seen = Path.Combine(Folder, "seen.txt");
        using Process tool = Tool.Start("run", "--app", "shop", "--watch", "--", "sh", "-c",
            "printenv STRIPE_KEY >> \"$0\"; trap 'exit 0' TERM; while :; do sleep 0.05; done", seen);
        tool.StandardInput.Close();
        Task<string> output = tool.StandardOutput.ReadToEndAsync();
        Task<string> errors = tool.StandardError.ReadToEndAsync();
        try
        {
            await WaitForLinesAsync(seen, 1);
            string second = await SetAsync("shop", "STRIPE_KEY");
            await WaitForLinesAsync(seen, 2);

            Assert.That(await File.ReadAllLinesAsync(seen), Is.EqualTo(new[] { first, second }));
        }
        finally
        {
            await SendAsync("TERM", tool.Id);
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await tool.WaitForExitAsync(timeout.Token);
            Tool.Record(await output);
            Tool.Record(await errors);
        }

        Assert.That(tool.ExitCode, Is.Zero, await errors);
        Assert.That(await errors, Does.Contain("restarting sh"));
    }

    private static async Task SendAsync(string signal, int processId)
    {
        using Process kill = Process.Start("kill", ["-" + signal, processId.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        await kill.WaitForExitAsync();
    }

    private static async Task WaitForLinesAsync(string path, int count)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!File.Exists(path) || (await File.ReadAllLinesAsync(path, timeout.Token)).Length < count)
        {
            await Task.Delay(20, timeout.Token);
        }
    }
}
