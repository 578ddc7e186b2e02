using System.Globalization;
using System.Text.Json;
using RootCx.Vault.Audit;

namespace RootCx.Vault.FileSystem;

/// <summary>
/// One line of <c>audit/events.log</c>: a JSON object with fixed field order, ended by <c>\n</c> (docs/FORMAT.md,
/// "Audit log file"). The hash covers the canonical bytes of the fields, not this text, so the JSON need not be canonical.
/// </summary>
internal static class AuditLine
{
    private const string TimeFormat = "yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'";

    public static byte[] Format(SecretAuditRecord record)
    {
        SecretAuditEvent e = record.Event;
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteNumber("seq", record.Sequence);
            json.WriteString("time", e.Timestamp.UtcDateTime.ToString(TimeFormat, CultureInfo.InvariantCulture));
            json.WriteString("actor", e.Actor);
            json.WriteString("action", e.Action.ToString());
            json.WriteString("scope", e.Scope.Namespace);
            WriteOptional(json, "name", e.Name);
            WriteOptional(json, "version", e.Version);
            WriteOptional(json, "keyId", e.KeyId?.Value);
            json.WriteString("outcome", e.Outcome.ToString());
            json.WriteString("prev", Convert.ToHexStringLower(record.PreviousHash.Span));
            json.WriteString("hash", Convert.ToHexStringLower(record.Hash.Span));
            json.WriteEndObject();
        }

        buffer.WriteByte((byte)'\n');
        return buffer.ToArray();
    }

    /// <summary>Reads a line (without its <c>\n</c>), or returns <see langword="null"/> when it is not a valid event.</summary>
    public static SecretAuditRecord? Parse(ReadOnlySpan<byte> line)
    {
        try
        {
            var reader = new Utf8JsonReader(line);
            using JsonDocument document = JsonDocument.ParseValue(ref reader);
            JsonElement root = document.RootElement;
            var auditEvent = new SecretAuditEvent(
                DateTimeOffset.ParseExact(root.GetProperty("time").GetString()!, TimeFormat, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal),
                root.GetProperty("actor").GetString()!,
                Enum.Parse<SecretAuditAction>(root.GetProperty("action").GetString()!),
                SecretScope.FromNamespace(root.GetProperty("scope").GetString()!),
                root.GetProperty("name").GetString(),
                root.GetProperty("version") is { ValueKind: JsonValueKind.Number } version ? version.GetInt64() : null,
                root.GetProperty("keyId") is { ValueKind: JsonValueKind.Number } keyId ? new MasterKeyId(keyId.GetUInt32()) : null,
                Enum.Parse<SecretAuditOutcome>(root.GetProperty("outcome").GetString()!));
            return new SecretAuditRecord(
                root.GetProperty("seq").GetInt64(),
                auditEvent,
                Convert.FromHexString(root.GetProperty("prev").GetString()!),
                Convert.FromHexString(root.GetProperty("hash").GetString()!));
        }
        catch (Exception ex) when (ex is JsonException or FormatException or InvalidOperationException or KeyNotFoundException or ArgumentException or RootCxVaultException)
        {
            return null;
        }
    }

    private static void WriteOptional(Utf8JsonWriter json, string property, string? value)
    {
        if (value is null)
        {
            json.WriteNull(property);
        }
        else
        {
            json.WriteString(property, value);
        }
    }

    private static void WriteOptional(Utf8JsonWriter json, string property, long? value)
    {
        if (value is { } number)
        {
            json.WriteNumber(property, number);
        }
        else
        {
            json.WriteNull(property);
        }
    }
}
