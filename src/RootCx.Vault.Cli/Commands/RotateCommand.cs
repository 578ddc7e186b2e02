using System.CommandLine;
using RootCx.Vault.Cli.Console;
using RootCx.Vault.Cli.Hosting;
using RootCx.Vault.Cryptography;

namespace RootCx.Vault.Cli.Commands;

/// <summary><c>rotate</c>: re-seals every secret under the active master key through <see cref="ISecretVault.RotateAsync(IProgress{int}?, CancellationToken)"/>.</summary>
internal static class RotateCommand
{
    public static Command Create()
    {
        var command = new Command(
            "rotate",
            $"Re-seals every envelope (live and deleted secrets and their older versions) under the active master key ({RootCxVaultOptions.MasterKeyEnvironmentVariable} or --key-file), "
            + "opening older envelopes with the keys given by --previous-key-file, then drops the retired key ids from the store's "
            + "key record. Resumable: secrets already under the active key are skipped, so run it again after an interruption.");
        CommandAction.Set(command, async (parse, cancellationToken) =>
        {
            await using VaultSession session = VaultSession.Open(VaultSettings.Read(parse));
            await session.RequireSetUpAsync(cancellationToken).ConfigureAwait(false);
            int total = await StoreCensus.CountEnvelopesAsync(session.Store, cancellationToken).ConfigureAwait(false);
            int resealed = await WorkProgress.RunAsync(
                "rotate",
                total,
                async progress => await session.Vault.RotateAsync(progress, cancellationToken).ConfigureAwait(false)).ConfigureAwait(false);
            IReadOnlySet<MasterKeyId> recorded = await session.Store.GetKeyIdsAsync(cancellationToken).ConfigureAwait(false);
            System.Console.WriteLine($"re-sealed {resealed} of {total} envelope(s); key record: {string.Join(", ", recorded.OrderBy(id => id.Value))}");
            return ExitCodes.Success;
        });
        return command;
    }
}
