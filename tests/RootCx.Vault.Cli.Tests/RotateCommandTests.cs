using RootCx.Vault.Testing;

namespace RootCx.Vault.Cli.Tests;

[TestFixture(StoreUnderTest.File)]
[TestFixture(StoreUnderTest.PostgreSql)]
public sealed class RotateCommandTests(string storeKind) : CliTestBase(storeKind)
{
    [Test]
    public async Task Rotate_reseals_under_the_new_key_retires_the_old_one_and_a_second_run_has_nothing_left()
    {
        Tool.Environment["ROOTCX_MASTER_KEY"] = TestKeys.Secondary;
        await SetAsync("shop", "A_KEY");
        await SetAsync("--platform", "TOKEN");
        Tool.Environment["ROOTCX_MASTER_KEY"] = TestKeys.Primary;
        string previous = WriteFile("previous.key", TestKeys.Secondary + "\n");

        CliResult rotate = await Tool.RunAsync("rotate", "--previous-key-file", previous);
        CliResult again = await Tool.RunAsync("rotate", "--previous-key-file", previous);
        CliResult status = await Tool.RunAsync("status");
        CliResult verify = await Tool.RunAsync("verify");

        Assert.That(rotate.ExitCode, Is.Zero, rotate.ToString());
        Assert.That(rotate.Output, Does.Contain($"re-sealed 2 of 2 envelope(s); key record: {TestKeys.IdOf(TestKeys.Primary)}"));
        Assert.That(rotate.Error, Does.Contain("rotate: 2 of 2"), "without a terminal, progress is plain lines on stderr");
        Assert.That(again.Output, Does.Contain("re-sealed 0 of 2"));
        Assert.That(status.Output, Does.Contain($"key {TestKeys.IdOf(TestKeys.Primary)}: 2 secret(s)").And.Not.Contain(TestKeys.IdOf(TestKeys.Secondary).ToString()));
        Assert.That(verify.ExitCode, Is.Zero, verify.ToString());
    }

    [Test]
    public async Task Rotate_without_the_previous_key_is_refused_with_exit_1_naming_key_ids()
    {
        Tool.Environment["ROOTCX_MASTER_KEY"] = TestKeys.Secondary;
        await SetAsync("shop", "A_KEY");
        Tool.Environment["ROOTCX_MASTER_KEY"] = TestKeys.Primary;

        CliResult rotate = await Tool.RunAsync("rotate");

        Assert.That(rotate.ExitCode, Is.EqualTo(1), rotate.ToString());
        Assert.That(rotate.Error, Does.Contain(TestKeys.IdOf(TestKeys.Secondary).ToString()));
    }

    [Test]
    public async Task A_previous_key_file_that_is_not_a_key_is_a_key_problem_and_is_not_echoed()
    {
        await SetAsync("shop", "A_KEY");
        string previous = WriteFile("previous.key", "secret-looking-garbage\n");

        CliResult rotate = await Tool.RunAsync("rotate", "--previous-key-file", previous);

        Assert.That(rotate.ExitCode, Is.EqualTo(1), rotate.ToString());
        Assert.That(rotate.Error, Does.Contain("PreviousMasterKeys").And.Not.Contain("garbage"));
    }
}
