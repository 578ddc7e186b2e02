namespace RootCx.Vault.PostgreSql;

internal sealed partial class PostgreSqlCommands
{
    public string History { get; } = $"SELECT {Columns} FROM {schema}.secret_history WHERE {ByName} ORDER BY version DESC;";

    public string ListHistory { get; } = $"SELECT {Columns} FROM {schema}.secret_history WHERE namespace = @Namespace;";

    // No reader sees history, so the change version stays. The foreign key backs the EXISTS up against a removal.
    public string ReplaceHistoryEnvelope { get; } = $"""
        UPDATE {schema}.secret_history SET envelope = @Envelope, key_id = @KeyId
        WHERE {ByName} AND version = @Version AND EXISTS (SELECT 1 FROM {schema}.key_ids WHERE key_id = @KeyId);
        """;

    public string ListDeleted { get; } = $"""SELECT {Columns}, deleted_at AS "DeletedAt" FROM {schema}.secrets WHERE namespace = @Namespace AND {Deleted};""";

    // READ COMMITTED re-checks the WHERE on the newest row: a secret set, recovered or purged meanwhile is left alone.
    public string Recover { get; } = $"""
        WITH recovered AS (
            UPDATE {schema}.secrets SET deleted_at = NULL WHERE {ByName} AND {Deleted} RETURNING {Columns}),
        {MoveVersions(schema, "recovered")}
        SELECT * FROM recovered;
        """;

    // The deletion of the history sees the snapshot the statement started with, so the purge happens only if the row
    // is still the one read (same version and deletion time): a set that landed in between, and added history, makes
    // it purge nothing, as it would had it come first. The tombstone keeps the version only.
    public string Purge { get; } = $"""
        WITH found AS (
            SELECT {Columns}, deleted_at AS "DeletedAt" FROM {schema}.secrets WHERE {ByName} AND {Deleted}),
        purged AS (
            UPDATE {schema}.secrets s SET envelope = NULL, key_id = NULL, deleted_at = NULL FROM found f
            WHERE s.namespace = @Namespace AND s.name_key = {NameKey} AND s.version = f."Version" AND s.deleted_at = f."DeletedAt"
            RETURNING 1),
        forgotten AS (
            DELETE FROM {schema}.secret_history WHERE {ByName} AND EXISTS (SELECT 1 FROM purged)),
        {MoveVersions(schema, "purged")}
        SELECT * FROM found WHERE EXISTS (SELECT 1 FROM purged);
        """;

    // Purge's statement for a batch of names of any scopes, oldest deletion first (the partial index on deleted_at).
    public string PurgeDeleted { get; } = $"""
        WITH found AS (
            SELECT namespace AS "Namespace", name_key, {Columns}, deleted_at AS "DeletedAt" FROM {schema}.secrets
            WHERE deleted_at < @DeletedBefore ORDER BY deleted_at LIMIT @Limit),
        purged AS (
            UPDATE {schema}.secrets s SET envelope = NULL, key_id = NULL, deleted_at = NULL FROM found f
            WHERE s.namespace = f."Namespace" AND s.name_key = f.name_key AND s.version = f."Version" AND s.deleted_at = f."DeletedAt"
            RETURNING s.namespace, s.name_key),
        forgotten AS (
            DELETE FROM {schema}.secret_history h USING purged p WHERE h.namespace = p.namespace AND h.name_key = p.name_key),
        moved AS (
            UPDATE {schema}.change_version SET version = version + 1 WHERE id = 1 AND EXISTS (SELECT 1 FROM purged) RETURNING version),
        scoped AS (
            INSERT INTO {schema}.scope_versions (namespace, version) SELECT DISTINCT p.namespace, m.version FROM purged p CROSS JOIN moved m
            ON CONFLICT (namespace) DO UPDATE SET version = excluded.version)
        SELECT f.* FROM found f JOIN purged p ON p.namespace = f."Namespace" AND p.name_key = f.name_key;
        """;
}
