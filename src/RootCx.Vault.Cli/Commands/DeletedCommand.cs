using System.CommandLine;
using System.Globalization;
using RootCx.Vault.Cli.Console;
using RootCx.Vault.Cli.Hosting;

namespace RootCx.Vault.Cli.Commands;

/// <summary><c>deleted APP | --platform [--json]</c>: deleted secrets still recoverable, never values.</summary>
internal static class DeletedCommand
{
    public static Command Create()
    {
        var command = new Command("deleted", "Lists a scope's deleted secrets that can still be recovered, with when each was deleted and will be purged.");
        var selection = new ScopeSelection(command, withName: false);
        var output = new ListingOutput(command);
        CommandAction.Set(command, async (parse, cancellationToken) =>
        {
            (SecretScope scope, _) = selection.Read(parse);
            await using VaultSession session = VaultSession.Open(VaultSettings.Read(parse));
            await session.RequireSetUpAsync(cancellationToken).ConfigureAwait(false);
            IReadOnlyList<DeletedSecretMetadata> deleted = await session.Vault.ListDeletedAsync(scope, cancellationToken).ConfigureAwait(false);
            output.Write(
                parse,
                deleted,
                ["NAME", "VERSION", "DELETED (UTC)", "PURGE AFTER (UTC)", "KEY ID"],
                d => [d.Name, d.Version.ToString(CultureInfo.InvariantCulture), UtcTime.Format(d.DeletedAt), UtcTime.Format(d.PurgeAfter), d.KeyId.ToString()],
                (writer, d) =>
                {
                    writer.WriteString("name", d.Name);
                    writer.WriteNumber("version", d.Version);
                    writer.WriteString("deletedAt", d.DeletedAt);
                    writer.WriteString("purgeAfter", d.PurgeAfter);
                    writer.WriteString("keyId", d.KeyId.ToString());
                });

            return ExitCodes.Success;
        });
        return command;
    }
}
