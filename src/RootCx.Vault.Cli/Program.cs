using System.CommandLine;
using RootCx.Vault.Cli.Commands;
using RootCx.Vault.Cli.Hosting;

namespace RootCx.Vault.Cli;

/// <summary>The <c>rootcx-vault</c> tool.</summary>
internal static class Program
{
    private static async Task<int> Main(string[] args)
    {
        var root = new RootCommand(
            "rootcx-vault: manage a RootCx.Vault store from a shell. The store comes from --store or ROOTCX_VAULT_STORE; "
            + $"the master key from {RootCxVaultOptions.MasterKeyEnvironmentVariable}, else the key file (--key-file, default config/master.key).")
        {
            SetCommand.Create(),
            ListCommand.Create(),
            DeleteCommand.Create(),
            VersionsCommand.Create(),
            RestoreCommand.Create(),
            DeletedCommand.Create(),
            RecoverCommand.Create(),
            PurgeCommand.Create(),
            RunCommand.Create(),
            RotateCommand.Create(),
            VerifyCommand.Create(),
            KeygenCommand.Create(),
            StatusCommand.Create(),
            ExportCommand.Create(),
            ImportCommand.Create(),
            MigrateCommand.Create(),
            AuditCommand.Create(),
        };
        root.Options.Add(VaultSettings.StoreOption);
        root.Options.Add(VaultSettings.KeyFileOption);
        root.Options.Add(VaultSettings.PreviousKeyFileOption);
        root.Options.Add(LifecycleSettings.MaxVersionsOption);
        root.Options.Add(LifecycleSettings.RetentionDaysOption);

        ParseResult parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            // One line, not the help page: scripts log it, and exit code 2 says the input was wrong.
            // Some of System.CommandLine's messages span lines (the values an option accepts): folded into the one line.
            string errors = string.Join(" ", parse.Errors.Select(e => string.Join(" ", e.Message.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))));
            await System.Console.Error.WriteLineAsync($"rootcx-vault: {errors} (see rootcx-vault --help)").ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        // run forwards SIGINT and SIGTERM to its child itself; System.CommandLine's handler would end the tool first.
        return await parse.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null }).ConfigureAwait(false);
    }
}
