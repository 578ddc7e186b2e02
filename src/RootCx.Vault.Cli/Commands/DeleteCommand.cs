using System.CommandLine;
using RootCx.Vault.Cli.Hosting;

namespace RootCx.Vault.Cli.Commands;

/// <summary><c>delete APP NAME | --platform NAME</c>.</summary>
internal static class DeleteCommand
{
    public static Command Create()
    {
        var command = new Command("delete", "Deletes a secret: it leaves the runtime at once and stays recoverable (see deleted, recover) until purged. Exits with 1 when there is no such secret.");
        var selection = new ScopeSelection(command, withName: true);
        var precondition = new PreconditionOptions(command, withCreateOnly: false);
        CommandAction.Set(command, async (parse, cancellationToken) =>
        {
            (SecretScope scope, string name) = selection.Read(parse);
            SecretPrecondition condition = precondition.Read(parse);
            SecretName.Parse(name);
            await using VaultSession session = VaultSession.Open(VaultSettings.Read(parse));
            await session.RequireSetUpAsync(cancellationToken).ConfigureAwait(false);
            if (!await session.Vault.DeleteAsync(scope, name, condition, cancellationToken).ConfigureAwait(false))
            {
                throw new OperatorException($"No secret {name} in {scope}.");
            }

            System.Console.WriteLine($"deleted {name} in {scope}");
            return ExitCodes.Success;
        });
        return command;
    }
}
