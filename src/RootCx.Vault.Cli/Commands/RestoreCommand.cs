using System.CommandLine;
using RootCx.Vault.Cli.Hosting;

namespace RootCx.Vault.Cli.Commands;

/// <summary><c>restore APP NAME | --platform NAME --version N [--if-version M]</c>: an older value sealed again as the newest.</summary>
internal static class RestoreCommand
{
    public static Command Create()
    {
        var command = new Command("restore", "Restores an older version of a secret (see versions) as its newest version; the value never leaves the vault. Exits with 1 when the secret or version is not kept.");
        var selection = new ScopeSelection(command, withName: true);
        var version = new Option<long>("--version") { Description = "The version to restore, as versions lists it.", Required = true };
        command.Options.Add(version);
        var precondition = new PreconditionOptions(command, withCreateOnly: false);
        CommandAction.Set(command, async (parse, cancellationToken) =>
        {
            (SecretScope scope, string name) = selection.Read(parse);
            SecretPrecondition condition = precondition.Read(parse);
            long restoring = parse.GetValue(version) is var v and >= 1 ? v : throw new UsageException("--version takes a version of 1 or more, as versions lists it.");
            await using VaultSession session = VaultSession.Open(VaultSettings.Read(parse));
            await session.RequireSetUpAsync(cancellationToken).ConfigureAwait(false);
            SecretMetadata restored = await session.Vault.RestoreVersionAsync(scope, name, restoring, condition, cancellationToken).ConfigureAwait(false)
                ?? throw new OperatorException($"No version {restoring} of secret {name} in {scope} is kept.");
            System.Console.WriteLine($"restored {restored.Name} in {scope} from version {restoring} as version {restored.Version}");
            return ExitCodes.Success;
        });
        return command;
    }
}
