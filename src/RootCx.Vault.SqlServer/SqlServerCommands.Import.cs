using System.Globalization;
using System.Text.Json;
using RootCx.Vault.Storage;

namespace RootCx.Vault.SqlServer;

internal sealed partial class SqlServerCommands
{
    // The batch arrives as one JSON document (envelopes in hex) and is read with OPENJSON into a table variable, then
    // written in one transaction. UPDLOCK + SERIALIZABLE holds the key ranges, so a concurrent set of a new name cannot
    // slip in between the check and the insert. A name with a live or deleted secret is left alone; a purged secret's
    // row (a tombstone) takes the copy only below the copy's version, so a version never repeats; nothing is written
    // unless every key id is recorded. OPENJSON needs database compatibility level 130 (SQL Server 2016) or later.
    public string Import { get; } = $"""
        SET XACT_ABORT ON;
        BEGIN TRANSACTION;
        DECLARE @input TABLE (
            [Namespace] varchar(64) COLLATE Latin1_General_100_CI_AS NOT NULL,
            [Name] varchar(128) COLLATE Latin1_General_100_CI_AS NOT NULL,
            [Envelope] varbinary(max) NOT NULL,
            [KeyId] int NOT NULL,
            [CreatedAt] datetimeoffset(7) NOT NULL,
            [UpdatedAt] datetimeoffset(7) NOT NULL,
            [Version] bigint NOT NULL,
            PRIMARY KEY ([Namespace], [Name]));
        INSERT INTO @input ([Namespace], [Name], [Envelope], [KeyId], [CreatedAt], [UpdatedAt], [Version])
            SELECT [Namespace], [Name], CONVERT(varbinary(max), [Envelope], 2), [KeyId], [CreatedAt], [UpdatedAt], [Version]
            FROM OPENJSON(@Secrets) WITH (
                [Namespace] varchar(64) '$.namespace',
                [Name] varchar(128) '$.name',
                [Envelope] varchar(max) '$.envelope',
                [KeyId] int '$.keyId',
                [CreatedAt] datetimeoffset(7) '$.createdAt',
                [UpdatedAt] datetimeoffset(7) '$.updatedAt',
                [Version] bigint '$.version');
        DECLARE @unrecorded int = (SELECT MIN(i.[KeyId]) FROM @input i WHERE NOT EXISTS (SELECT 1 FROM {schema}.[KeyIds] k WHERE k.[KeyId] = i.[KeyId]));
        DECLARE @written TABLE ([Namespace] varchar(64) COLLATE Latin1_General_100_CI_AS NOT NULL);
        IF @unrecorded IS NULL
        BEGIN
            UPDATE s SET [Name] = i.[Name], [Envelope] = i.[Envelope], [KeyId] = i.[KeyId], [CreatedAt] = i.[CreatedAt], [UpdatedAt] = i.[UpdatedAt], [Version] = i.[Version]
                OUTPUT inserted.[Namespace] INTO @written
                FROM {schema}.[Secrets] s WITH (UPDLOCK, SERIALIZABLE)
                JOIN @input i ON s.[Namespace] = i.[Namespace] AND s.[Name] = i.[Name]
                WHERE s.[Envelope] IS NULL AND s.[Version] < i.[Version];
            INSERT INTO {schema}.[Secrets] ([Namespace], [Name], [Envelope], [KeyId], [CreatedAt], [UpdatedAt], [Version])
                OUTPUT inserted.[Namespace] INTO @written
                SELECT i.[Namespace], i.[Name], i.[Envelope], i.[KeyId], i.[CreatedAt], i.[UpdatedAt], i.[Version] FROM @input i
                WHERE NOT EXISTS (SELECT 1 FROM {schema}.[Secrets] s WITH (UPDLOCK, SERIALIZABLE) WHERE s.[Namespace] = i.[Namespace] AND s.[Name] = i.[Name]);
            IF EXISTS (SELECT 1 FROM @written)
            BEGIN
                {MoveVersionsOf(schema, "@written")}
            END;
        END;
        COMMIT TRANSACTION;
        SELECT (SELECT COUNT_BIG(*) FROM @written) AS [Written], @unrecorded AS [Unrecorded];
        """;

    public object ImportParameters(IReadOnlyList<StoredSecret> secrets)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartArray();
            foreach (StoredSecret secret in secrets)
            {
                json.WriteStartObject();
                json.WriteString("namespace", secret.Scope.Namespace);
                json.WriteString("name", secret.Name.Value);
                json.WriteString("envelope", Convert.ToHexString(secret.Envelope.Span));
                json.WriteNumber("keyId", unchecked((int)secret.KeyId.Value));
                json.WriteString("createdAt", secret.CreatedAt.ToString("o", CultureInfo.InvariantCulture));
                json.WriteString("updatedAt", secret.UpdatedAt.ToString("o", CultureInfo.InvariantCulture));
                json.WriteNumber("version", secret.Version);
                json.WriteEndObject();
            }

            json.WriteEndArray();
        }

        return new { Secrets = System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length) };
    }
}
