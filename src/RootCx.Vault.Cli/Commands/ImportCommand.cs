using System.CommandLine;
using RootCx.Vault.Cli.Backup;
using RootCx.Vault.Cli.Console;
using RootCx.Vault.Cli.Hosting;
using RootCx.Vault.Cryptography;

namespace RootCx.Vault.Cli.Commands;

/// <summary>
/// <c>import FILE --mode merge|replace [--overwrite-newer]</c>: restores a backup made by <c>export</c> into any store,
/// under its own master key. The whole file is authenticated before the store is touched, then read again to write.
/// </summary>
internal static class ImportCommand
{
    public static Command Create()
    {
        var command = new Command(
            "import",
            "Restores a backup written by export into the store, which may be empty (it is then set up, as set does) and under "
            + "any master key. --mode merge adds and updates; --mode replace also deletes, in the scopes the backup holds, the "
            + "secrets it does not hold. A secret whose store copy is newer than the backup's (or, with replace, written after "
            + "the export began) is a conflict: listed on stderr by name and left untouched, unless --overwrite-newer. The "
            + "whole backup is authenticated before anything is written, so a wrong passphrase or a damaged file changes nothing. "
            + BackupProtection.HelpText + $" Exits with 0, or {ExitCodes.Conflicts} when conflicts were left.");
        var file = new Argument<string>("FILE") { Description = "The backup file." };
        var mode = new Option<string>("--mode") { Description = "merge or replace; there is no default.", Required = true };
        mode.AcceptOnlyFromAmong("merge", "replace");
        var overwriteNewer = new Option<bool>("--overwrite-newer") { Description = "Overwrites (and with replace, deletes) conflicting secrets too." };
        command.Arguments.Add(file);
        command.Options.Add(mode);
        command.Options.Add(overwriteNewer);
        var protection = new BackupProtection(command);
        CommandAction.Set(command, async (parse, cancellationToken) =>
        {
            ImportMode chosen = parse.GetRequiredValue(mode) == "replace" ? ImportMode.Replace : ImportMode.Merge;
            VaultSettings settings = VaultSettings.Read(parse);
            string path = parse.GetRequiredValue(file);
            using BackupReader reader = BackupReader.Open(path);
            using BackupKey key = protection.OpenForImport(parse, reader.Header);
            int total = checked((int)reader.Verify(key));
            using var interrupt = new InterruptCancellation(cancellationToken);
            cancellationToken = interrupt.Token;

            await using VaultSession session = VaultSession.Open(settings, mayCreate: true);
            bool keyFileExisted = File.Exists(session.KeyFilePath);

            // Any first call checks the master key against the store's key record, and sets up an empty store.
            await session.Vault.ListAsync(SecretScope.Platform, cancellationToken).ConfigureAwait(false);
            IReadOnlySet<MasterKeyId> recorded = await session.Store.GetKeyIdsAsync(cancellationToken).ConfigureAwait(false);
            await session.ReportKeyFileCreatedAsync(keyFileExisted, recorded.First()).ConfigureAwait(false);

            var import = new BackupImport(session, chosen, parse.GetValue(overwriteNewer), reader.Header.ExportedAt);
            await WorkProgress.RunAsync("import", total, async progress =>
            {
                await import.RunAsync(reader.Read(key, keepValues: true), progress, cancellationToken).ConfigureAwait(false);
                return 0;
            }).ConfigureAwait(false);

            foreach (string conflict in import.Tally.Conflicts)
            {
                await System.Console.Error.WriteLineAsync($"rootcx-vault: conflict: {conflict}").ConfigureAwait(false);
            }

            System.Console.WriteLine($"import of {total} secret(s) from {Path.GetFullPath(path)} ({parse.GetRequiredValue(mode)}): {import.Tally}");
            if (import.Tally.Conflicts.Count == 0)
            {
                return ExitCodes.Success;
            }

            await System.Console.Error.WriteLineAsync(
                $"rootcx-vault: {import.Tally.Conflicts.Count} conflict(s) left untouched; --overwrite-newer overwrites them").ConfigureAwait(false);
            return ExitCodes.Conflicts;
        });
        return command;
    }
}
