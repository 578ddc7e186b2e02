using System.CommandLine;
using RootCx.Vault.Cli.Hosting;

namespace RootCx.Vault.Cli.Commands;

/// <summary><c>recover APP NAME | --platform NAME</c>: a deleted secret live again, with its history.</summary>
internal static class RecoverCommand
{
    public static Command Create()
    {
        var command = new Command("recover", "Recovers a deleted secret (see deleted) with its value, version and history. Exits with 1 when no deleted secret has the name.");
        var selection = new ScopeSelection(command, withName: true);
        CommandAction.Set(command, async (parse, cancellationToken) =>
        {
            (SecretScope scope, string name) = selection.Read(parse);
            await using VaultSession session = VaultSession.Open(VaultSettings.Read(parse));
            await session.RequireSetUpAsync(cancellationToken).ConfigureAwait(false);
            SecretMetadata recovered = await session.Vault.RecoverAsync(scope, name, cancellationToken).ConfigureAwait(false)
                ?? throw new OperatorException($"No deleted secret {name} in {scope}.");
            System.Console.WriteLine($"recovered {recovered.Name} in {scope} (version {recovered.Version})");
            return ExitCodes.Success;
        });
        return command;
    }
}
