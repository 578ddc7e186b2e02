using RootCx.Vault.Sql;

namespace RootCx.Vault.PostgreSql;

/// <summary>
/// The store's SQL, for one quoted schema. Each write is one statement: its data-modifying CTEs move the row and the
/// change version in one implicit transaction, so a write and its change version commit together or not at all.
/// Lookups compute the key as the table's generated column does, so @Name matches ignoring case.
/// </summary>
internal sealed class PostgreSqlCommands(string schema) : ISqlStoreCommands
{
    private const string Columns = """name AS "Name", envelope AS "Envelope", created_at AS "CreatedAt", updated_at AS "UpdatedAt", version AS "Version" """;

    public string Get { get; } = $"SELECT {Columns} FROM {schema}.secrets WHERE namespace = @Namespace AND name_key = upper(@Name COLLATE \"C\");";

    public string List { get; } = $"SELECT {Columns} FROM {schema}.secrets WHERE namespace = @Namespace;";

    public string KeyIds { get; } = $"SELECT DISTINCT key_id FROM {schema}.secrets;";

    public string Scopes { get; } = $"SELECT DISTINCT namespace FROM {schema}.secrets;";

    public string ChangeVersion { get; } = $"SELECT version FROM {schema}.change_version WHERE id = 1;";

    // ON CONFLICT makes insert-or-update atomic: two writers of one new name cannot both insert.
    public string Set { get; } = $"""
        WITH written AS (
            INSERT INTO {schema}.secrets AS s (namespace, name, envelope, key_id, created_at, updated_at, version)
            VALUES (@Namespace, @Name, @Envelope, @KeyId, @Timestamp, @Timestamp, 1)
            ON CONFLICT (namespace, name_key) DO UPDATE
                SET name = excluded.name, envelope = excluded.envelope, key_id = excluded.key_id,
                    updated_at = excluded.updated_at, version = s.version + 1
            RETURNING {Columns}),
        moved AS ({MoveChangeVersion(schema)})
        SELECT * FROM written;
        """;

    // Under READ COMMITTED a concurrent update makes PostgreSQL re-check the WHERE on the newest row: the swap
    // happens only if the version is still the expected one.
    public string ReplaceEnvelope { get; } = $"""
        WITH written AS (
            UPDATE {schema}.secrets SET envelope = @Envelope, key_id = @KeyId, version = version + 1
            WHERE namespace = @Namespace AND name_key = upper(@Name COLLATE "C") AND version = @ExpectedVersion
            RETURNING {Columns}),
        moved AS ({MoveChangeVersion(schema)} AND EXISTS (SELECT 1 FROM written))
        SELECT * FROM written;
        """;

    public string Delete { get; } = $"""
        WITH deleted AS (
            DELETE FROM {schema}.secrets WHERE namespace = @Namespace AND name_key = upper(@Name COLLATE "C") RETURNING 1),
        moved AS ({MoveChangeVersion(schema)} AND EXISTS (SELECT 1 FROM deleted))
        SELECT count(*) FROM deleted;
        """;

    private static string MoveChangeVersion(string schema) => $"UPDATE {schema}.change_version SET version = version + 1 WHERE id = 1";
}
