using System.CommandLine;
using RootCx.Vault.Cli.Hosting;
using RootCx.Vault.Cryptography;
using RootCx.Vault.Storage;

namespace RootCx.Vault.Cli.Commands;

/// <summary>
/// <c>status</c>: the store, its key record with the number of envelopes sealed under each id, scopes, secrets, deleted secrets and older versions.
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
            var perKey = recorded.ToDictionary(id => id, _ => (Live: 0, Other: 0));
            var scopes = new HashSet<SecretScope>();
            var kinds = new Dictionary<EnvelopeKind, int>();
            await foreach ((StoredSecret envelope, EnvelopeKind kind) in StoreCensus.EnvelopesAsync(store, cancellationToken).ConfigureAwait(false))
            {
                scopes.Add(envelope.Scope);
                kinds[kind] = kinds.GetValueOrDefault(kind) + 1;
                (int live, int other) = perKey.GetValueOrDefault(envelope.KeyId);
                perKey[envelope.KeyId] = kind == EnvelopeKind.Live ? (live + 1, other) : (live, other + 1);
            }

            System.Console.WriteLine($"store: {session.Description}");
            if (recorded.Count == 0)
            {
                System.Console.WriteLine("key record: empty (the store was never set up)");
            }

            foreach ((MasterKeyId id, (int live, int other)) in perKey.OrderBy(pair => pair.Key.Value))
            {
                // Deleted secrets and older versions keep a key recorded too: rotation re-seals them before it retires one.
                string others = other > 0 ? $", {other} deleted or older version(s)" : "";
                string note = recorded.Contains(id) ? "" : " (not in the key record)";
                System.Console.WriteLine($"key {id}: {live} secret(s){others}{note}");
            }

            System.Console.WriteLine($"scopes: {scopes.Count}");
            System.Console.WriteLine($"secrets: {kinds.GetValueOrDefault(EnvelopeKind.Live)}");
            System.Console.WriteLine($"deleted secrets: {kinds.GetValueOrDefault(EnvelopeKind.Deleted)}");
            System.Console.WriteLine($"older versions: {kinds.GetValueOrDefault(EnvelopeKind.OlderVersion)}");
            return ExitCodes.Success;
        });
        return command;
    }
}
