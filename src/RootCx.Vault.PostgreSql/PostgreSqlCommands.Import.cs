using RootCx.Vault.Storage;

namespace RootCx.Vault.PostgreSql;

internal sealed partial class PostgreSqlCommands
{
    // The batch arrives as one array per column and is unnested into rows: one statement, one round trip, whatever its
    // size. A name already present, live or deleted, is skipped by ON CONFLICT; a purged secret's row (a tombstone)
    // takes the copy only below the copy's version, so a version never repeats. Nothing is inserted unless every key id is recorded (the foreign key
    // backs that up against a concurrent removal).
    public string Import { get; } = $"""
        WITH input AS (
            SELECT * FROM unnest(@Namespaces::text[], @Names::text[], @Envelopes::bytea[], @KeyIds::integer[],
                                 @CreatedAts::timestamptz[], @UpdatedAts::timestamptz[], @Versions::bigint[])
                AS i (namespace, name, envelope, key_id, created_at, updated_at, version)),
        unrecorded AS (
            SELECT min(i.key_id) AS key_id FROM input i WHERE NOT EXISTS (SELECT 1 FROM {schema}.key_ids k WHERE k.key_id = i.key_id)),
        written AS (
            INSERT INTO {schema}.secrets AS s (namespace, name, envelope, key_id, created_at, updated_at, version)
            SELECT namespace, name, envelope, key_id, created_at, updated_at, version FROM input
            WHERE (SELECT key_id FROM unrecorded) IS NULL
            ON CONFLICT (namespace, name_key) DO UPDATE
                SET name = excluded.name, envelope = excluded.envelope, key_id = excluded.key_id,
                    created_at = excluded.created_at, updated_at = excluded.updated_at, version = excluded.version
                WHERE s.envelope IS NULL AND s.version < excluded.version
            RETURNING s.namespace),
        moved AS (
            UPDATE {schema}.change_version SET version = version + 1 WHERE id = 1 AND EXISTS (SELECT 1 FROM written) RETURNING version),
        scoped AS (
            INSERT INTO {schema}.scope_versions (namespace, version) SELECT DISTINCT w.namespace, m.version FROM written w CROSS JOIN moved m
            ON CONFLICT (namespace) DO UPDATE SET version = excluded.version)
        SELECT (SELECT count(*) FROM written) AS "Written", (SELECT key_id FROM unrecorded) AS "Unrecorded";
        """;

    // Npgsql sends each array as one parameter (Dapper passes arrays through to it); timestamptz takes UTC only.
    public object ImportParameters(IReadOnlyList<StoredSecret> secrets) => new
    {
        Namespaces = secrets.Select(s => s.Scope.Namespace).ToArray(),
        Names = secrets.Select(s => s.Name.Value).ToArray(),
        Envelopes = secrets.Select(s => s.Envelope.ToArray()).ToArray(),
        KeyIds = secrets.Select(s => unchecked((int)s.KeyId.Value)).ToArray(),
        CreatedAts = secrets.Select(s => s.CreatedAt.ToUniversalTime()).ToArray(),
        UpdatedAts = secrets.Select(s => s.UpdatedAt.ToUniversalTime()).ToArray(),
        Versions = secrets.Select(s => s.Version).ToArray(),
    };
}
