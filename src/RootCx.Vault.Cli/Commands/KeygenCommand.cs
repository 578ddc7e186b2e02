using System.CommandLine;
using System.Security.Cryptography;

namespace RootCx.Vault.Cli.Commands;

/// <summary><c>keygen</c>: a new master key, 64 hex characters on stdout and nothing else.</summary>
internal static class KeygenCommand
{
    private const int KeyHexLength = 64;

    public static Command Create()
    {
        var command = new Command(
            "keygen",
            $"Prints a new random master key (32 bytes as {KeyHexLength} hex characters) on stdout and nothing else, "
            + $"for {RootCxVaultOptions.MasterKeyEnvironmentVariable} or a key file. Touches no store.");
        command.SetAction(_ =>
        {
            System.Console.Out.WriteLine(RandomNumberGenerator.GetHexString(KeyHexLength, lowercase: true));
            return ExitCodes.Success;
        });
        return command;
    }
}
