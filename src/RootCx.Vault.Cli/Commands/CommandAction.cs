using System.CommandLine;
using System.Data.Common;
using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using RootCx.Vault.Cli.Processes;

namespace RootCx.Vault.Cli.Commands;

/// <summary>
/// Turns every failure of a command into one line on stderr and its exit code: 2 for bad input, 1 for a store or key
/// problem, 3 for a conditional write the secret no longer allowed. Only messages are printed: the library's never hold a value, and no stack trace reaches the operator.
/// </summary>
internal static class CommandAction
{
    public static void Set(Command command, Func<ParseResult, CancellationToken, Task<int>> action) =>
        command.SetAction(async (parse, cancellationToken) =>
        {
            try
            {
                return await action(parse, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ExitCodeOf(ex) is int exitCode)
            {
                await System.Console.Error.WriteLineAsync($"rootcx-vault: {Describe(ex)}").ConfigureAwait(false);
                return exitCode;
            }
        });

    private static int? ExitCodeOf(Exception ex) => ex switch
    {
        UsageException or SecretValidationException => ExitCodes.Usage,
        SecretConflictException => ExitCodes.Conflicts,
        ChildStartException => ExitCodes.CommandNotFound,
        OperatorException or RootCxVaultException or CryptographicException or OptionsValidationException => ExitCodes.Failure,
        DbException or IOException or UnauthorizedAccessException or TimeoutException => ExitCodes.Failure,
        OperationCanceledException => ExitCodes.Failure,
        _ => null,
    };

    private static string Describe(Exception ex) => ex switch
    {
        OptionsValidationException options => string.Join(" ", options.Failures),
        OperationCanceledException => "cancelled.",
        _ => ex.Message,
    };
}
