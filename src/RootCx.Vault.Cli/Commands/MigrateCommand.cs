using System.CommandLine;
using RootCx.Vault.Cli.Console;
using RootCx.Vault.Cli.Hosting;
using RootCx.Vault.Cli.Migration;

namespace RootCx.Vault.Cli.Commands;

/// <summary>
/// <c>migrate --to STORE</c>: copies every secret of the store (--store) to another, sealed as it is, with its key
/// record, then checks both sides. Needs no master key; resumable, since what the target holds by name is left.
/// </summary>
internal static class MigrateCommand
{
    private static readonly Option<string> To = new("--to")
    {
        Description = "The store to copy to: file:PATH (created when missing), postgresql:CONNECTION-STRING or sqlserver:CONNECTION-STRING.",
        Required = true,
    };

    public static Command Create()
    {
        var command = new Command(
            "migrate",
            "Copies every secret, envelope and metadata as stored, never opened, from the store (--store) to another (--to), with its "
            + "master key ids, then checks that every envelope, key id and version arrived and that each scope holds as many secrets on "
            + "both sides. Needs no master key. Resumable: secrets already in the target are skipped; a name the target holds with other "
            + "content is reported as a conflict and left. Exits with 0 when the check passes, 1 otherwise.");
        command.Options.Add(To);
        CommandAction.Set(command, async (parse, cancellationToken) =>
        {
            VaultSettings settings = VaultSettings.Read(parse);
            StoreLocation to = StoreLocation.Parse(parse.GetValue(To)!);
            if (IsSameStore(settings.Store, to))
            {
                throw new UsageException("--to names the store being migrated from.");
            }

            await using VaultSession source = VaultSession.Open(settings);
            await source.RequireSetUpAsync(cancellationToken).ConfigureAwait(false);
            await using VaultSession target = VaultSession.Open(new VaultSettings(to, null, []), mayCreate: true);

            await KeyRecordTransfer.TransferAsync(
                await source.Store.GetKeyIdsAsync(cancellationToken).ConfigureAwait(false), target.Store, target.Description, cancellationToken).ConfigureAwait(false);
            int scopes = await source.Store.ListScopesAsync(cancellationToken).CountAsync(cancellationToken).ConfigureAwait(false);
            MigrationResult result = await WorkProgress.RunAsync(
                "migrate (scopes)",
                scopes,
                progress => StoreCopy.CopyAsync(source.Store, target.Store, progress, cancellationToken),
                lineEvery: Math.Max(1, scopes / 10)).ConfigureAwait(false);

            result.Problems.ForEach(System.Console.WriteLine);
            if (result.DeletedLeft + result.VersionsLeft > 0)
            {
                await System.Console.Error.WriteLineAsync(
                    $"rootcx-vault: not copied: {result.DeletedLeft} deleted secret(s) and {result.VersionsLeft} older version(s), which stay in {source.Description}; "
                    + "recover what must move (rootcx-vault deleted, recover) before migrating again").ConfigureAwait(false);
            }

            System.Console.WriteLine(
                $"migrated {result.Read} secret(s) in {result.Scopes} scope(s) from {source.Description} to {target.Description}: {result.Written} copied, "
                + $"{result.Read - result.Written} already in the target; {result.Problems.Count} problem(s)");
            return result.Problems.Count == 0 ? ExitCodes.Success : ExitCodes.Failure;
        });
        return command;
    }

    private static bool IsSameStore(StoreLocation source, StoreLocation target) =>
        source.Kind == target.Kind && (source.Kind == StoreKind.FileSystem
            ? string.Equals(Path.GetFullPath(source.Target).TrimEnd('/'), Path.GetFullPath(target.Target).TrimEnd('/'), StringComparison.Ordinal)
            : string.Equals(source.Target, target.Target, StringComparison.Ordinal));
}
