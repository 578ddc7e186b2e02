using System.CommandLine;
using RootCx.Vault.Cli.Backup;
using RootCx.Vault.Cli.Console;
using RootCx.Vault.Cli.Hosting;
using RootCx.Vault.Storage;

namespace RootCx.Vault.Cli.Commands;

/// <summary>
/// <c>export --out FILE [--scope NAMESPACE]… [--force]</c>: an encrypted backup (docs/FORMAT.md, "Backup file") of the
/// whole store or some scopes, under a passphrase or a backup key, independent of the master key. Values are opened in
/// this process one at a time and re-sealed straight into the file; none is kept or printed.
/// </summary>
internal static class ExportCommand
{
    // A secret rewritten this many times while it is being read is reported rather than chased forever.
    private const int ConsistentReadAttempts = 5;

    public static Command Create()
    {
        var command = new Command(
            "export",
            "Writes an encrypted backup of every scope, or of the scopes given with --scope, that restores into any store "
            + "under any master key (rootcx-vault import). " + BackupProtection.HelpText + " The file is written beside --out, "
            + "fsynced and renamed into place (mode 0600); an existing file is replaced only with --force.");
        var output = new Option<string>("--out") { Description = "The backup file to write.", Required = true };
        var scopes = new Option<string[]>("--scope") { Description = $"A scope to export: an app id, or {SecretScope.PlatformNamespace}; repeat for several. Default: every scope." };
        var force = new Option<bool>("--force") { Description = "Replaces --out when it exists." };
        command.Options.Add(output);
        command.Options.Add(scopes);
        command.Options.Add(force);
        var protection = new BackupProtection(command);
        CommandAction.Set(command, async (parse, cancellationToken) =>
        {
            string path = parse.GetRequiredValue(output);
            bool overwrite = parse.GetValue(force);
            SecretScope[] selected = [.. (parse.GetValue(scopes) ?? []).Select(SecretScope.FromNamespace).Distinct()];
            if (!overwrite && (File.Exists(path) || Directory.Exists(path)))
            {
                throw new UsageException($"'{Path.GetFullPath(path)}' exists; --force replaces it.");
            }

            await using VaultSession session = VaultSession.Open(VaultSettings.Read(parse));
            await session.RequireSetUpAsync(cancellationToken).ConfigureAwait(false);
            IReadOnlyList<(SecretScope Scope, int Count)> plan = await PlanAsync(session.Store, selected, cancellationToken).ConfigureAwait(false);

            // The export time is taken before anything is read: a secret written after it may be missing from the file.
            (BackupHeader header, BackupKey key) = protection.CreateForExport(parse, TimeProvider.System.GetUtcNow());
            using (key)
            {
                using var interrupt = new InterruptCancellation(cancellationToken);
                cancellationToken = interrupt.Token;
                using var writer = new BackupWriter(path, overwrite, header, key);
                await WorkProgress.RunAsync("export", plan.Sum(p => p.Count), async progress =>
                {
                    foreach ((SecretScope scope, _) in plan)
                    {
                        foreach (SecretMetadata listed in await session.Vault.ListAsync(scope, cancellationToken).ConfigureAwait(false))
                        {
                            await AddConsistentAsync(session, writer, scope, listed, cancellationToken).ConfigureAwait(false);
                            progress.Report((int)writer.Count);
                        }
                    }

                    return 0;
                }).ConfigureAwait(false);
                writer.Complete();
                System.Console.WriteLine($"exported {writer.Count} secret(s) in {plan.Count} scope(s) to {Path.GetFullPath(path)}");
            }

            return ExitCodes.Success;
        });
        return command;
    }

    // The scopes in the order the file holds them (namespace, ordinal), with their sizes for the progress bar.
    private static async Task<IReadOnlyList<(SecretScope Scope, int Count)>> PlanAsync(ISecretStore store, SecretScope[] selected, CancellationToken cancellationToken)
    {
        var scopes = new List<SecretScope>(selected);
        if (scopes.Count == 0)
        {
            await foreach (SecretScope scope in store.ListScopesAsync(cancellationToken).ConfigureAwait(false))
            {
                scopes.Add(scope);
            }
        }

        scopes.Sort((a, b) => string.CompareOrdinal(a.Namespace, b.Namespace));
        var plan = new List<(SecretScope, int)>();
        foreach (SecretScope scope in scopes)
        {
            int count = 0;
            await foreach (StoredSecret _ in store.ListAsync(scope, cancellationToken).ConfigureAwait(false))
            {
                count++;
            }

            // A scope asked for by name that holds nothing is most likely a typo: a silent empty backup would hide it.
            if (count == 0 && selected.Length > 0)
            {
                throw new OperatorException($"The scope {scope} holds no secret; nothing to export from it.");
            }

            plan.Add((scope, count));
        }

        return plan;
    }

    /// <summary>
    /// Writes a value with the metadata of the very version it was read at: the version is read again after the value,
    /// and versions never repeat, so an unchanged version means no write came in between.
    /// </summary>
    private static async Task AddConsistentAsync(VaultSession session, BackupWriter writer, SecretScope scope, SecretMetadata listed, CancellationToken cancellationToken)
    {
        long expected = listed.Version;
        SecretName name = SecretName.Parse(listed.Name);
        for (int attempt = 0; attempt < ConsistentReadAttempts; attempt++)
        {
            using SecretValue? value = await session.Reader.GetAsync(scope, name.Value, cancellationToken).ConfigureAwait(false);
            StoredSecret? after = await session.Store.GetAsync(scope, name, cancellationToken).ConfigureAwait(false);
            if (value is null || after is null)
            {
                return; // Deleted while the export ran: it is not in the backup, as if deleted just before.
            }

            if (after.Version == expected)
            {
                writer.Add(scope, after.Name, after.CreatedAt, after.UpdatedAt, after.Version, value.Utf8);
                return;
            }

            expected = after.Version;
        }

        throw new OperatorException($"{scope}/{name} changed {ConsistentReadAttempts} times while it was being read; run the export again.");
    }
}
