using System.CommandLine;
using RootCx.Vault.Cli.Console;
using RootCx.Vault.Cli.Hosting;
using RootCx.Vault.Cryptography;
using RootCx.Vault.Storage;

namespace RootCx.Vault.Cli.Commands;

/// <summary>
/// <c>verify</c>: opens every envelope in every scope and reports, by scope and name, the ones that do not open.
/// Each value is cleared as soon as it has opened; none is ever printed.
/// </summary>
internal static class VerifyCommand
{
    public static Command Create()
    {
        var command = new Command(
            "verify",
            "Opens every envelope in every scope with the master key. Reports damaged records and unknown key ids by scope and "
            + "name, never values. Exits with 0 when every envelope opens, 1 otherwise.");
        CommandAction.Set(command, async (parse, cancellationToken) =>
        {
            await using VaultSession session = VaultSession.Open(VaultSettings.Read(parse));
            await session.RequireSetUpAsync(cancellationToken).ConfigureAwait(false);
            var problems = new List<string>();
            List<(SecretScope Scope, SecretName Name)> secrets = await ListAllAsync(session.Store, problems, cancellationToken).ConfigureAwait(false);
            int opened = await WorkProgress.RunAsync("verify", secrets.Count, async progress =>
            {
                int count = 0;
                int done = 0;
                foreach ((SecretScope scope, SecretName name) in secrets)
                {
                    if (await TryOpenAsync(session.Reader, scope, name, problems, cancellationToken).ConfigureAwait(false))
                    {
                        count++;
                    }

                    progress.Report(++done);
                }

                return count;
            }).ConfigureAwait(false);

            problems.ForEach(System.Console.WriteLine);
            int scopes = secrets.Select(s => s.Scope).Distinct().Count();
            System.Console.WriteLine($"verified {secrets.Count} secret(s) in {scopes} scope(s): {opened} open, {problems.Count} problem(s)");
            return problems.Count == 0 ? ExitCodes.Success : ExitCodes.Failure;
        });
        return command;
    }

    // A scope the store cannot list (a damaged file in it) is a problem reported by scope; the others are still read.
    private static async Task<List<(SecretScope, SecretName)>> ListAllAsync(ISecretStore store, List<string> problems, CancellationToken cancellationToken)
    {
        var secrets = new List<(SecretScope, SecretName)>();
        await foreach (SecretScope scope in store.ListScopesAsync(cancellationToken).ConfigureAwait(false))
        {
            try
            {
                await foreach (StoredSecret secret in store.ListAsync(scope, cancellationToken).ConfigureAwait(false))
                {
                    secrets.Add((scope, secret.Name));
                }
            }
            catch (SecretStoreException ex)
            {
                problems.Add($"{scope}: damaged record: {ex.Message}");
            }
        }

        secrets.Sort((a, b) => (string.CompareOrdinal(a.Item1.Namespace, b.Item1.Namespace), StringComparer.OrdinalIgnoreCase.Compare(a.Item2.Value, b.Item2.Value)) switch
        {
            (0, int byName) => byName,
            (int byScope, _) => byScope,
        });
        return secrets;
    }

    private static async Task<bool> TryOpenAsync(ISecretReader reader, SecretScope scope, SecretName name, List<string> problems, CancellationToken cancellationToken)
    {
        try
        {
            using SecretValue? value = await reader.GetAsync(scope, name.Value, cancellationToken).ConfigureAwait(false);
            return value is not null;
        }
        catch (UnknownMasterKeyIdException ex)
        {
            problems.Add($"{scope}/{name}: sealed under unknown master key id {ex.KeyId}");
        }
        catch (SecretDecryptionException)
        {
            problems.Add($"{scope}/{name}: damaged: the envelope fails authentication");
        }
        catch (SecretStoreException ex)
        {
            problems.Add($"{scope}/{name}: damaged record: {ex.Message}");
        }

        return false;
    }
}
