using System.CommandLine;
using RootCx.Vault.Cli.Hosting;
using RootCx.Vault.Cryptography;
using RootCx.Vault.Storage;

namespace RootCx.Vault.Cli.Commands;

/// <summary>
/// <c>status</c>: the store, its key record with the number of secrets sealed under each id, scopes and secrets.
/// It reads envelope headers only and needs no master key, so it also tells which key a store wants.
/// </summary>
internal static class StatusCommand
{
    public static Command Create()
    {
        var command = new Command(
            "status",
            "Shows the store, the master key ids in its key record with how many secrets each seals, and how many scopes and "
            + "secrets it holds. Reads no value and needs no master key.");
        CommandAction.Set(command, async (parse, cancellationToken) =>
        {
            await using VaultSession session = VaultSession.Open(VaultSettings.Read(parse));
            ISecretStore store = session.Store;
            IReadOnlySet<MasterKeyId> recorded = await store.GetKeyIdsAsync(cancellationToken).ConfigureAwait(false);
            var perKey = recorded.ToDictionary(id => id, _ => 0);
            var scopes = new HashSet<SecretScope>();
            int secrets = 0;
            await foreach (StoredSecret secret in StoreCensus.AllAsync(store, cancellationToken).ConfigureAwait(false))
            {
                scopes.Add(secret.Scope);
                secrets++;
                perKey[secret.KeyId] = perKey.GetValueOrDefault(secret.KeyId) + 1;
            }

            System.Console.WriteLine($"store: {session.Description}");
            if (recorded.Count == 0)
            {
                System.Console.WriteLine("key record: empty (the store was never set up)");
            }

            foreach ((MasterKeyId id, int count) in perKey.OrderBy(pair => pair.Key.Value))
            {
                string note = recorded.Contains(id) ? "" : " (not in the key record)";
                System.Console.WriteLine($"key {id}: {count} secret(s){note}");
            }

            System.Console.WriteLine($"scopes: {scopes.Count}");
            System.Console.WriteLine($"secrets: {secrets}");
            return ExitCodes.Success;
        });
        return command;
    }
}
