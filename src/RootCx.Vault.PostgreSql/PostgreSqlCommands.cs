using System.Data.Common;
using Npgsql;
using RootCx.Vault.Sql;

namespace RootCx.Vault.PostgreSql;

/// <summary>
/// The store's SQL, for one quoted schema. Each write is one statement: its data-modifying CTEs move the row, its
/// history and the change version in one implicit transaction, so a write and its change version commit together or
/// not at all. Lookups compute the key as the table's generated column does, so @Name matches ignoring case.
/// </summary>
internal sealed partial class PostgreSqlCommands(string schema) : ISqlStoreCommands
{
    private const string Columns = """name AS "Name", envelope AS "Envelope", key_id AS "KeyId", created_at AS "CreatedAt", updated_at AS "UpdatedAt", version AS "Version" """;
    // The key as the generated column computes it, compared under the column's own collation (the database default),
    // so that the primary key serves the lookup; equality is the same in every deterministic collation.
    private const string NameKey = """(upper(@Name COLLATE "C") COLLATE "default")""";
    private const string ByName = $"namespace = @Namespace AND name_key = {NameKey}";

    // A live row has a key id (and so an envelope) and no deletion time. Written with key_id, as the partial indexes'
    // predicates are (Install.sql), so that the planner can use them.
    private const string Live = "key_id IS NOT NULL AND deleted_at IS NULL";

    // Only a deleted secret has a deletion time: a tombstone has none.
    private const string Deleted = "deleted_at IS NOT NULL";

    public string Get { get; } = $"SELECT {Columns} FROM {schema}.secrets WHERE {ByName} AND {Live};";

    public string List { get; } = $"SELECT {Columns} FROM {schema}.secrets WHERE namespace = @Namespace AND {Live};";

    public string Scopes { get; } = $"SELECT DISTINCT namespace FROM {schema}.secrets WHERE key_id IS NOT NULL;";

    public string KeyIds { get; } = $"SELECT key_id FROM {schema}.key_ids;";

    public string IsKeyRecorded { get; } = $"SELECT count(*) FROM {schema}.key_ids WHERE key_id = @KeyId;";

    // Conflicts with itself only: secret writes, whose foreign key check takes ROW SHARE, are not held up.
    public string LockKeyRecord { get; } = $"LOCK TABLE {schema}.key_ids IN SHARE ROW EXCLUSIVE MODE;";

    public string AddKeyId { get; } = $"INSERT INTO {schema}.key_ids (key_id) VALUES (@KeyId) ON CONFLICT DO NOTHING;";

    // The foreign keys back the NOT EXISTS up against an envelope written under the key meanwhile.
    public string RemoveKeyId { get; } = $"""
        DELETE FROM {schema}.key_ids WHERE key_id = @KeyId
            AND NOT EXISTS (SELECT 1 FROM {schema}.secrets WHERE key_id = @KeyId)
            AND NOT EXISTS (SELECT 1 FROM {schema}.secret_history WHERE key_id = @KeyId);
        """;

    public string ChangeVersion { get; } = $"SELECT version FROM {schema}.change_version WHERE id = 1;";

    public string ChangedScopes { get; } =
        $"SELECT namespace FROM {schema}.scope_versions WHERE version > @Since AND version <= @Until;";

    public string Set { get; } = Upsert(schema, mayCreate: true, onlyIf: "");

    public string SetIfAbsent { get; } = Upsert(schema, mayCreate: true, onlyIf: " AND (s.key_id IS NULL OR s.deleted_at IS NOT NULL)");

    // A check-and-set of a new value: it proposes a row only over one it read, so it never inserts.
    public string SetIfVersion { get; } = Upsert(schema, mayCreate: false, onlyIf: " AND s.key_id IS NOT NULL AND s.deleted_at IS NULL AND s.version = @ExpectedVersion");

    // Under READ COMMITTED a concurrent update makes PostgreSQL re-check the WHERE on the newest row: the swap
    // happens only if the version is still the expected one. A deleted secret is re-sealed too, and stays deleted.
    public string ReplaceEnvelope { get; } = $"""
        WITH written AS (
            UPDATE {schema}.secrets SET envelope = @Envelope, key_id = @KeyId, version = version + 1
            WHERE {ByName} AND version = @ExpectedVersion AND key_id IS NOT NULL
                AND EXISTS (SELECT 1 FROM {schema}.key_ids WHERE key_id = @KeyId)
            RETURNING {Columns}),
        {MoveVersions(schema, "written")}
        SELECT * FROM written;
        """;

    // The row stays, envelope and all, so that it can be recovered and the name's version never repeats.
    public string Delete { get; } = SoftDelete(schema, "");

    public string DeleteIfVersion { get; } = SoftDelete(schema, " AND version = @ExpectedVersion");

    public bool IsForeignKeyViolation(DbException exception) =>
        exception is PostgresException { SqlState: PostgresErrorCodes.ForeignKeyViolation };

    // Install.sql raises it with this SQLSTATE of its own.
    public string? NewerSchemaRefusal(DbException exception) =>
        exception is PostgresException { SqlState: "RXV01" } refused ? refused.MessageText : null;

    // ON CONFLICT makes insert-or-update atomic: two writers of one new name cannot both insert. It updates the newest
    // row version, locked, also a deleted or purged secret's, whose version therefore continues; a secret set over one
    // is a new secret and starts its times anew. A live row it replaces becomes history, and the oldest versions beyond
    // @MaxVersions go; over a deleted row the set destroys the deleted secret with all its history, as a purge would
    // (the row is overwritten, and "trimmed" deletes every older version), so a deleted value never outlives its
    // retention as history.
    //
    // All CTEs see the snapshot the statement started with, but ON CONFLICT updates the newest row: the WHERE checks
    // that the row updated is the row read ("replaced": same version, deletion time and purged state), else a write
    // that landed in between would be missing from the history and the trim. Nothing is then written, and the caller
    // tries again. Every other statement that adds or removes older versions of the name holds the row's lock (sets
    // and purges; a re-seal of history changes rows in place), so a row that did not change means a history that did
    // not either. The trim cannot see the row "kept" adds, so it keeps two fewer than the limit of what it sees: the
    // replaced row and the new one make the rest. "kept" adds nothing over a deleted row, and the trim then deletes all
    // the history it sees, which, the row being the one read, is all there is.
    private static string Upsert(string schema, bool mayCreate, string onlyIf) => $"""
        WITH replaced AS (
            SELECT name, envelope, key_id, created_at, updated_at, version, deleted_at FROM {schema}.secrets WHERE {ByName}),
        written AS (
            INSERT INTO {schema}.secrets AS s (namespace, name, envelope, key_id, created_at, updated_at, version)
            SELECT @Namespace, @Name, @Envelope, @KeyId, @Timestamp, @Timestamp, 1
            WHERE EXISTS (SELECT 1 FROM {schema}.key_ids WHERE key_id = @KeyId){(mayCreate ? "" : " AND EXISTS (SELECT 1 FROM replaced)")}
            ON CONFLICT (namespace, name_key) DO UPDATE
                SET name = excluded.name, envelope = excluded.envelope, key_id = excluded.key_id, deleted_at = NULL,
                    created_at = CASE WHEN s.key_id IS NULL OR s.deleted_at IS NOT NULL THEN excluded.created_at ELSE s.created_at END,
                    updated_at = excluded.updated_at, version = s.version + 1
                WHERE EXISTS (SELECT 1 FROM replaced r WHERE r.version = s.version AND (r.key_id IS NULL) = (s.key_id IS NULL)
                    AND r.deleted_at IS NOT DISTINCT FROM s.deleted_at){onlyIf}
            RETURNING {Columns}),
        kept AS (
            INSERT INTO {schema}.secret_history (namespace, name, envelope, key_id, created_at, updated_at, version)
            SELECT @Namespace, r.name, r.envelope, r.key_id, r.created_at, r.updated_at, r.version FROM replaced r
            WHERE r.key_id IS NOT NULL AND r.deleted_at IS NULL AND @MaxVersions > 1 AND EXISTS (SELECT 1 FROM written)),
        trimmed AS (
            DELETE FROM {schema}.secret_history WHERE {ByName} AND EXISTS (SELECT 1 FROM written)
                AND (NOT EXISTS (SELECT 1 FROM replaced r WHERE r.key_id IS NOT NULL AND r.deleted_at IS NULL)
                    OR version <= (SELECT version FROM {schema}.secret_history WHERE {ByName} ORDER BY version DESC OFFSET greatest(@MaxVersions - 2, 0) LIMIT 1))),
        {MoveVersions(schema, "written")}
        SELECT * FROM written;
        """;

    private static string SoftDelete(string schema, string condition) => $"""
        WITH deleted AS (
            UPDATE {schema}.secrets SET deleted_at = @Timestamp WHERE {ByName} AND {Live}{condition} RETURNING 1),
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
