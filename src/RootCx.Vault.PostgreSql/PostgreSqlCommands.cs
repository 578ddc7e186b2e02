using System.Data.Common;
using Npgsql;
using RootCx.Vault.Sql;

namespace RootCx.Vault.PostgreSql;

/// <summary>
/// The store's SQL, for one quoted schema. Each write is one statement: its data-modifying CTEs move the row and the
/// change version in one implicit transaction, so a write and its change version commit together or not at all.
/// Lookups compute the key as the table's generated column does, so @Name matches ignoring case.
/// </summary>
internal sealed partial class PostgreSqlCommands(string schema) : ISqlStoreCommands
{
    private const string Columns = """name AS "Name", envelope AS "Envelope", key_id AS "KeyId", created_at AS "CreatedAt", updated_at AS "UpdatedAt", version AS "Version" """;
    private const string ByName = """namespace = @Namespace AND name_key = upper(@Name COLLATE "C")""";

    public string Get { get; } = $"SELECT {Columns} FROM {schema}.secrets WHERE {ByName} AND envelope IS NOT NULL;";

    public string List { get; } = $"SELECT {Columns} FROM {schema}.secrets WHERE namespace = @Namespace AND envelope IS NOT NULL;";

    public string Scopes { get; } = $"SELECT DISTINCT namespace FROM {schema}.secrets WHERE envelope IS NOT NULL;";

    public string KeyIds { get; } = $"SELECT key_id FROM {schema}.key_ids;";

    public string IsKeyRecorded { get; } = $"SELECT count(*) FROM {schema}.key_ids WHERE key_id = @KeyId;";

    // Conflicts with itself only: secret writes, whose foreign key check takes ROW SHARE, are not held up.
    public string LockKeyRecord { get; } = $"LOCK TABLE {schema}.key_ids IN SHARE ROW EXCLUSIVE MODE;";

    public string AddKeyId { get; } = $"INSERT INTO {schema}.key_ids (key_id) VALUES (@KeyId) ON CONFLICT DO NOTHING;";

    // The foreign key backs the NOT EXISTS up against a secret written under the key meanwhile.
    public string RemoveKeyId { get; } = $"DELETE FROM {schema}.key_ids WHERE key_id = @KeyId AND NOT EXISTS (SELECT 1 FROM {schema}.secrets WHERE key_id = @KeyId);";

    public string ChangeVersion { get; } = $"SELECT version FROM {schema}.change_version WHERE id = 1;";

    public string ChangedScopes { get; } =
        $"SELECT namespace FROM {schema}.scope_versions WHERE version > @Since AND version <= @Until;";

    // ON CONFLICT makes insert-or-update atomic: two writers of one new name cannot both insert. It updates the newest
    // row version, also a deleted secret's, whose version therefore continues; a re-created secret starts its times anew.
    public string Set { get; } = Upsert(schema, onlyIf: null);

    // ON CONFLICT ... WHERE is evaluated on the newest row version, locked: a live row makes the insert do nothing.
    public string SetIfAbsent { get; } = Upsert(schema, onlyIf: "s.envelope IS NULL");

    // A check-and-set of a new value: guarded as ReplaceEnvelope is, it also takes the new spelling and time.
    public string SetIfVersion { get; } = $"""
        WITH written AS (
            UPDATE {schema}.secrets SET name = @Name, envelope = @Envelope, key_id = @KeyId, updated_at = @Timestamp, version = version + 1
            WHERE {ByName} AND version = @ExpectedVersion AND envelope IS NOT NULL
                AND EXISTS (SELECT 1 FROM {schema}.key_ids WHERE key_id = @KeyId)
            RETURNING {Columns}),
        {MoveVersions(schema, "written")}
        SELECT * FROM written;
        """;

    // Under READ COMMITTED a concurrent update makes PostgreSQL re-check the WHERE on the newest row: the swap
    // happens only if the version is still the expected one.
    public string ReplaceEnvelope { get; } = $"""
        WITH written AS (
            UPDATE {schema}.secrets SET envelope = @Envelope, key_id = @KeyId, version = version + 1
            WHERE {ByName} AND version = @ExpectedVersion AND envelope IS NOT NULL
                AND EXISTS (SELECT 1 FROM {schema}.key_ids WHERE key_id = @KeyId)
            RETURNING {Columns}),
        {MoveVersions(schema, "written")}
        SELECT * FROM written;
        """;

    // The row stays, without its envelope, so the name's version never repeats.
    public string Delete { get; } = SoftDelete(schema, "");

    public string DeleteIfVersion { get; } = SoftDelete(schema, " AND version = @ExpectedVersion");

    public bool IsForeignKeyViolation(DbException exception) =>
        exception is PostgresException { SqlState: PostgresErrorCodes.ForeignKeyViolation };

    private static string Upsert(string schema, string? onlyIf) => $"""
        WITH written AS (
            INSERT INTO {schema}.secrets AS s (namespace, name, envelope, key_id, created_at, updated_at, version)
            SELECT @Namespace, @Name, @Envelope, @KeyId, @Timestamp, @Timestamp, 1
            WHERE EXISTS (SELECT 1 FROM {schema}.key_ids WHERE key_id = @KeyId)
            ON CONFLICT (namespace, name_key) DO UPDATE
                SET name = excluded.name, envelope = excluded.envelope, key_id = excluded.key_id,
                    created_at = CASE WHEN s.envelope IS NULL THEN excluded.created_at ELSE s.created_at END,
                    updated_at = excluded.updated_at, version = s.version + 1
                {(onlyIf is null ? "" : "WHERE " + onlyIf)}
            RETURNING {Columns}),
        {MoveVersions(schema, "written")}
        SELECT * FROM written;
        """;

    private static string SoftDelete(string schema, string condition) => $"""
        WITH deleted AS (
            UPDATE {schema}.secrets SET envelope = NULL, key_id = NULL WHERE {ByName} AND envelope IS NOT NULL{condition} RETURNING 1),
        {MoveVersions(schema, "deleted")}
        SELECT count(*) FROM deleted;
        """;

    // When the write changed something: the change version moves (its row lock orders writes, and its trigger sends
    // the notification at commit), and the scope's version takes the new value.
    private static string MoveVersions(string schema, string write) => $"""
        moved AS (
            UPDATE {schema}.change_version SET version = version + 1 WHERE id = 1 AND EXISTS (SELECT 1 FROM {write}) RETURNING version),
        scoped AS (
            INSERT INTO {schema}.scope_versions (namespace, version) SELECT @Namespace, version FROM moved
            ON CONFLICT (namespace) DO UPDATE SET version = excluded.version)
        """;
}
