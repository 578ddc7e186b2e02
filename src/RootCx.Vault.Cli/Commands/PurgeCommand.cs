using System.CommandLine;
using RootCx.Vault.Cli.Hosting;

namespace RootCx.Vault.Cli.Commands;

/// <summary><c>purge APP NAME | --platform NAME</c>, or <c>purge --expired</c>: deleted secrets destroyed for good.</summary>
internal static class PurgeCommand
{
    public static Command Create()
    {
        var command = new Command(
            "purge",
            "Destroys a deleted secret and its history for good (a live secret must be deleted first), or with --expired every deleted secret "
            + "whose retention ran out. Exits with 1 when no deleted secret has the name.");
        var selection = new ScopeSelection(command, withName: true);
        var expired = new Option<bool>("--expired") { Description = "Purges, in every scope, what was deleted longer ago than the hosts' retention (--retention-days, required)." };
        command.Options.Add(expired);
        CommandAction.Set(command, async (parse, cancellationToken) =>
        {
            bool all = parse.GetValue(expired);
            (SecretScope scope, string name) = all ? (SecretScope.Platform, "") : selection.Read(parse);
            VaultSettings settings = VaultSettings.Read(parse);

            // Irreversible: the tool's default retention is not the hosts', so it must be told theirs.
            if (all && settings.Lifecycle?.RetentionDays is null)
            {
                throw new UsageException($"purge --expired needs the hosts' retention: --retention-days N, or {LifecycleSettings.RetentionDaysVariable}.");
            }

            await using VaultSession session = VaultSession.Open(settings);
            await session.RequireSetUpAsync(cancellationToken).ConfigureAwait(false);
            if (all)
            {
                int purged = await session.Vault.PurgeExpiredAsync(cancellationToken).ConfigureAwait(false);
                System.Console.WriteLine($"purged {purged} expired deleted secret(s)");
            }
            else if (await session.Vault.PurgeAsync(scope, name, cancellationToken).ConfigureAwait(false))
            {
                System.Console.WriteLine($"purged {name} in {scope}");
            }
            else
            {
                throw new OperatorException($"No deleted secret {name} in {scope}.");
            }

            return ExitCodes.Success;
        });
        return command;
    }
}
