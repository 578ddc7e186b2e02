using System.CommandLine;
using System.Security.Cryptography;
using RootCx.Vault.Cli.Console;
using RootCx.Vault.Cli.Hosting;

namespace RootCx.Vault.Cli.Commands;

/// <summary><c>set APP NAME</c> and <c>set --platform NAME</c>: the value from stdin or a silent prompt.</summary>
internal static class SetCommand
{
    public static Command Create()
    {
        var command = new Command(
            "set",
            "Creates or replaces a secret. The value is read from stdin when it is piped (one trailing line break removed), "
            + "else from a prompt that does not echo. It is never taken from the command line, where shell history and ps "
            + "would keep it. The only command that sets up a store never used before, creating the key file when no key is configured.");
        var selection = new ScopeSelection(command, withName: true);
        var precondition = new PreconditionOptions(command, withCreateOnly: true);
        CommandAction.Set(command, async (parse, cancellationToken) =>
        {
            (SecretScope scope, string name) = selection.Read(parse);
            SecretPrecondition condition = precondition.Read(parse);
            SecretName.Parse(name);
            await using VaultSession session = VaultSession.Open(VaultSettings.Read(parse), mayCreate: true);
            bool keyFileExisted = File.Exists(session.KeyFilePath);
            byte[] value = SecretValueInput.Read($"Value for {name} in {scope} (not echoed): ", out int length);
            SecretMetadata written;
            try
            {
                written = await session.Vault.SetAsync(scope, name, value.AsMemory(0, length), condition, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                CryptographicOperations.ZeroMemory(value);
            }

            await session.ReportKeyFileCreatedAsync(keyFileExisted, written.KeyId).ConfigureAwait(false);

            System.Console.WriteLine($"set {written.Name} in {scope} (version {written.Version}, key {written.KeyId})");
            return ExitCodes.Success;
        });
        return command;
    }
}
