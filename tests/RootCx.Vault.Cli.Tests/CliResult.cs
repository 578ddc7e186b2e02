namespace RootCx.Vault.Cli.Tests;

/// <summary>What one run of the tool left: its exit code and everything it wrote.</summary>
internal sealed record CliResult(int ExitCode, string Output, string Error)
{
    public override string ToString() => $"exit {ExitCode}\nstdout:\n{Output}\nstderr:\n{Error}";
}
