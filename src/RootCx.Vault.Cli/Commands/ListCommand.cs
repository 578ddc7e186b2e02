using System.CommandLine;
using System.Globalization;
using RootCx.Vault.Cli.Console;
using RootCx.Vault.Cli.Hosting;

namespace RootCx.Vault.Cli.Commands;

/// <summary><c>list APP | --platform [--json]</c>: names and metadata, never values.</summary>
internal static class ListCommand
{
    public static Command Create()
    {
        var command = new Command("list", "Lists a scope's secrets: names and metadata, never values.");
        var selection = new ScopeSelection(command, withName: false);
        var output = new ListingOutput(command);
        CommandAction.Set(command, async (parse, cancellationToken) =>
        {
            (SecretScope scope, _) = selection.Read(parse);
            await using VaultSession session = VaultSession.Open(VaultSettings.Read(parse));
            await session.RequireSetUpAsync(cancellationToken).ConfigureAwait(false);
            IReadOnlyList<SecretMetadata> secrets = await session.Vault.ListAsync(scope, cancellationToken).ConfigureAwait(false);
            output.Write(
                parse,
                secrets,
                ["NAME", "VERSION", "UPDATED (UTC)", "CREATED (UTC)", "KEY ID"],
                s => [s.Name, s.Version.ToString(CultureInfo.InvariantCulture), UtcTime.Format(s.UpdatedAt), UtcTime.Format(s.CreatedAt), s.KeyId.ToString()],
                (writer, secret) =>
                {
                    writer.WriteString("name", secret.Name);
                    writer.WriteString("createdAt", secret.CreatedAt);
                    writer.WriteString("updatedAt", secret.UpdatedAt);
                    writer.WriteNumber("version", secret.Version);
                    writer.WriteString("keyId", secret.KeyId.ToString());
                });

            return ExitCodes.Success;
        });
        return command;
    }
}
