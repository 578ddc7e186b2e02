using System.CommandLine;
using System.Globalization;
using RootCx.Vault.Cli.Console;
using RootCx.Vault.Cli.Hosting;

namespace RootCx.Vault.Cli.Commands;

/// <summary><c>versions APP NAME | --platform NAME [--json]</c>: a secret's history, newest first, never values.</summary>
internal static class VersionsCommand
{
    public static Command Create()
    {
        var command = new Command("versions", "Lists a secret's versions, newest first: number, time, writer and key id, never values. Exits with 1 when there is no such secret.");
        var selection = new ScopeSelection(command, withName: true);
        var output = new ListingOutput(command);
        CommandAction.Set(command, async (parse, cancellationToken) =>
        {
            (SecretScope scope, string name) = selection.Read(parse);
            await using VaultSession session = VaultSession.Open(VaultSettings.Read(parse));
            await session.RequireSetUpAsync(cancellationToken).ConfigureAwait(false);
            IReadOnlyList<SecretVersionMetadata> versions = await session.Vault.ListVersionsAsync(scope, name, cancellationToken).ConfigureAwait(false);
            if (versions.Count == 0)
            {
                throw new OperatorException($"No secret {name} in {scope}.");
            }

            output.Write(
                parse,
                versions,
                ["VERSION", "WRITTEN (UTC)", "WRITER", "KEY ID", ""],
                v => [v.Version.ToString(CultureInfo.InvariantCulture), UtcTime.Format(v.WrittenAt), v.Actor ?? "-", v.KeyId.ToString(), v.IsCurrent ? "current" : ""],
                (writer, v) =>
                {
                    writer.WriteNumber("version", v.Version);
                    writer.WriteString("writtenAt", v.WrittenAt);
                    writer.WriteString("keyId", v.KeyId.ToString());
                    writer.WriteString("actor", v.Actor);
                    writer.WriteBoolean("current", v.IsCurrent);
                });

            return ExitCodes.Success;
        });
        return command;
    }
}
