using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using RootCx.Vault.Cli.Console;
using RootCx.Vault.Cli.Hosting;

namespace RootCx.Vault.Cli.Commands;

/// <summary><c>audit [--scope NS] [--name NAME] [--after SEQ] [--limit N] [--json]</c> and <c>audit verify</c>.</summary>
internal static class AuditCommand
{
    public static Command Create()
    {
        var command = new Command("audit", "Lists the store's audit trail, oldest first: who set, deleted, rotated or read which secret, never a value.");
        var scope = new Option<string?>("--scope") { Description = $"Only this scope: an app id, or {SecretScope.PlatformNamespace}." };
        var name = new Option<string?>("--name") { Description = "Only this secret name (ignoring case)." };
        var after = new Option<long>("--after") { Description = "Start after this event number (the last one of the previous page)." };
        var limit = new Option<int>("--limit") { Description = $"At most this many events, 1 to {SecretAuditQuery.MaxLimit}.", DefaultValueFactory = _ => 100 };
        command.Options.Add(scope);
        command.Options.Add(name);
        command.Options.Add(after);
        command.Options.Add(limit);
        var output = new ListingOutput(command);
        command.Subcommands.Add(CreateVerify());
        CommandAction.Set(command, async (parse, cancellationToken) =>
        {
            var query = new SecretAuditQuery
            {
                Scope = parse.GetValue(scope) is { } ns ? ParseScope(ns) : null,
                Name = parse.GetValue(name) is { } n ? SecretName.Parse(n).Value : null,
                AfterSequence = parse.GetValue(after) is var a and >= 0 ? a : throw new UsageException("--after takes an event number of 0 or more."),
                Limit = parse.GetValue(limit) is var l and >= 1 and <= SecretAuditQuery.MaxLimit ? l : throw new UsageException($"--limit takes 1 to {SecretAuditQuery.MaxLimit}."),
            };
            await using VaultSession session = VaultSession.Open(VaultSettings.Read(parse));
            IReadOnlyList<SecretAuditRecord> records = await session.AuditLog.ReadAsync(query, cancellationToken).ConfigureAwait(false);
            output.Write(parse, records, Header, Row, WriteJson);

            return ExitCodes.Success;
        });
        return command;
    }

    private static Command CreateVerify()
    {
        var command = new Command("verify", "Checks the audit trail's SHA-256 chain; exits 0 when intact, 1 naming the first broken event. Prints the head to record elsewhere.");
        CommandAction.Set(command, async (parse, cancellationToken) =>
        {
            await using VaultSession session = VaultSession.Open(VaultSettings.Read(parse));
            SecretAuditVerification result = await session.AuditLog.VerifyAsync(cancellationToken).ConfigureAwait(false);
            string head = $"head {result.HeadSequence} {Convert.ToHexStringLower(result.HeadHash.Span)}";
            if (result.IsIntact)
            {
                System.Console.WriteLine($"audit trail intact: {result.Count} event(s), {head}");
                return ExitCodes.Success;
            }

            throw new OperatorException($"The audit trail is broken at event {result.FirstBrokenSequence}: it was edited or removed ({result.Count} event(s) read; the intact chain ends at {head}).");
        });
        return command;
    }

    private static SecretScope ParseScope(string ns) => ns == SecretScope.PlatformNamespace ? SecretScope.Platform : SecretScope.ForApp(ns);

    private static void WriteJson(Utf8JsonWriter writer, SecretAuditRecord record)
    {
        SecretAuditEvent e = record.Event;
        writer.WriteNumber("seq", record.Sequence);
        writer.WriteString("time", e.Timestamp);
        writer.WriteString("actor", e.Actor);
        writer.WriteString("action", e.Action.ToString());
        writer.WriteString("scope", e.Scope.Namespace);
        WriteOptional(writer, "name", e.Name);
        if (e.Version is { } version)
        {
            writer.WriteNumber("version", version);
        }

        WriteOptional(writer, "keyId", e.KeyId?.ToString());
        writer.WriteString("outcome", e.Outcome.ToString());
    }

    private static void WriteOptional(Utf8JsonWriter writer, string property, string? value)
    {
        if (value is not null)
        {
            writer.WriteString(property, value);
        }
    }

    private static readonly string[] Header = ["SEQ", "TIME (UTC)", "ACTOR", "ACTION", "SCOPE", "NAME", "VERSION", "KEY ID", "OUTCOME"];

    private static string[] Row(SecretAuditRecord r) =>
    [
        r.Sequence.ToString(CultureInfo.InvariantCulture),
        UtcTime.Format(r.Event.Timestamp),
        r.Event.Actor,
        r.Event.Action.ToString(),
        r.Event.Scope.Namespace,
        r.Event.Name ?? "-",
        r.Event.Version?.ToString(CultureInfo.InvariantCulture) ?? "-",
        r.Event.KeyId?.ToString() ?? "-",
        r.Event.Outcome.ToString(),
    ];
}
