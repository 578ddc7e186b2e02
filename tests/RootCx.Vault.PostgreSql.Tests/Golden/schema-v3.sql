-- Golden: the version 3 schema exactly as RootCx.Vault installed it before version 4 (soft delete and history), then
-- two live secrets sealed under TestKeys.Primary (tests/RootCx.Vault.Tests/Golden/envelopes-v1.txt) and a deleted
-- name, which version 3 kept as a row without envelope or key id. Never change it: databases written by version 3
-- must keep upgrading.
-- RootCx.Vault PostgreSQL schema, version 3 (PostgreSQL 14 or later). Re-runnable, and upgrades a version 1 or 2 schema
-- in place; a DBA may run it by hand with psql after replacing {{schema}} with the double-quoted schema name (default
-- "rootcx_vault") and {{schema_literal}} with the bare name.
BEGIN;

-- Installers of one schema queue here, so two processes starting at once cannot race on CREATE.
SELECT pg_advisory_xact_lock(hashtextextended('RootCx.Vault:{{schema_literal}}', 0));

CREATE SCHEMA IF NOT EXISTS {{schema}};

CREATE TABLE IF NOT EXISTS {{schema}}.schema_version (version integer NOT NULL);

-- The key record: the ids of the master keys the store was set up with. Every envelope's key id is one of them.
CREATE TABLE IF NOT EXISTS {{schema}}.key_ids (key_id integer NOT NULL CONSTRAINT key_ids_pkey PRIMARY KEY);

CREATE TABLE IF NOT EXISTS {{schema}}.secrets (
    namespace text NOT NULL,
    name text NOT NULL,
    -- Names are unique ignoring case. They are ASCII, and upper() under the "C" collation maps ASCII only, so the
    -- database's locale (Turkish dotted i, say) cannot change which names collide.
    name_key text GENERATED ALWAYS AS (upper(name COLLATE "C")) STORED,
    -- Both NULL for a deleted secret: its row stays so that its version continues when the name is set again.
    envelope bytea,
    key_id integer CONSTRAINT secrets_key_id_fkey REFERENCES {{schema}}.key_ids (key_id),
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    version bigint NOT NULL,
    CONSTRAINT secrets_pkey PRIMARY KEY (namespace, name_key),
    CONSTRAINT secrets_deleted_check CHECK ((envelope IS NULL) = (key_id IS NULL))
);
CREATE INDEX IF NOT EXISTS secrets_key_id ON {{schema}}.secrets (key_id);

CREATE TABLE IF NOT EXISTS {{schema}}.change_version (
    id smallint NOT NULL CONSTRAINT change_version_pkey PRIMARY KEY CHECK (id = 1),
    version bigint NOT NULL
);
INSERT INTO {{schema}}.change_version (id, version) VALUES (1, 0) ON CONFLICT (id) DO NOTHING;

-- Each scope's version is the change version of its latest write, so a change feed asks which scopes changed since
-- the version it saw, and reads nothing else.
CREATE TABLE IF NOT EXISTS {{schema}}.scope_versions (
    namespace text NOT NULL CONSTRAINT scope_versions_pkey PRIMARY KEY,
    version bigint NOT NULL
);
CREATE INDEX IF NOT EXISTS scope_versions_version ON {{schema}}.scope_versions (version);

-- Every write moves the change version; the notification goes out when its transaction commits. The channel is
-- 'rcxv_' and the schema name, cut to PostgreSQL's 63-byte identifier limit.
CREATE OR REPLACE FUNCTION {{schema}}.notify_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify(left('rcxv_' || TG_TABLE_SCHEMA, 63), NEW.version::text);
    RETURN NULL;
END
$$;
CREATE OR REPLACE TRIGGER change_version_notify AFTER UPDATE ON {{schema}}.change_version
    FOR EACH ROW EXECUTE FUNCTION {{schema}}.notify_change();

-- Version 1 to 2: deleted secrets keep their row, and the key record is built from the envelopes held.
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM {{schema}}.schema_version WHERE version = 1) THEN
        ALTER TABLE {{schema}}.secrets ALTER COLUMN envelope DROP NOT NULL, ALTER COLUMN key_id DROP NOT NULL;
        INSERT INTO {{schema}}.key_ids (key_id) SELECT DISTINCT key_id FROM {{schema}}.secrets ON CONFLICT DO NOTHING;
        ALTER TABLE {{schema}}.secrets
            ADD CONSTRAINT secrets_key_id_fkey FOREIGN KEY (key_id) REFERENCES {{schema}}.key_ids (key_id),
            ADD CONSTRAINT secrets_deleted_check CHECK ((envelope IS NULL) = (key_id IS NULL));
        UPDATE {{schema}}.schema_version SET version = 2;
    END IF;
END
$$;

INSERT INTO {{schema}}.schema_version (version) SELECT 2 WHERE NOT EXISTS (SELECT 1 FROM {{schema}}.schema_version);

-- Version 3: the audit log. One row per event, numbered without gaps, each carrying the SHA-256 of the one before
-- (docs/FORMAT.md, "Audit chain"); appends queue on an advisory lock of their own, so the chain stays linear.
CREATE TABLE IF NOT EXISTS {{schema}}.audit_events (
    seq bigint NOT NULL CONSTRAINT audit_events_pkey PRIMARY KEY,
    time timestamptz NOT NULL,
    actor text NOT NULL,
    action text NOT NULL,
    namespace text NOT NULL,
    name text,
    version bigint,
    key_id bigint,
    outcome text NOT NULL,
    prev_hash bytea NOT NULL,
    hash bytea NOT NULL
);
CREATE INDEX IF NOT EXISTS audit_events_namespace ON {{schema}}.audit_events (namespace, seq);

-- Version 2 to 3: the table above is all it takes.
UPDATE {{schema}}.schema_version SET version = 3 WHERE version = 2;

COMMIT;

INSERT INTO {{schema}}.key_ids (key_id) VALUES (x'6f74319a'::integer);
INSERT INTO {{schema}}.secrets (namespace, name, envelope, key_id, created_at, updated_at, version) VALUES
    ('golden-app', 'GOLDEN_SECRET',
     '\x016f74319aee95c0676dd9b637a16360d3b9fab7713bee57b67e49fd233f5f3aeab565b0591c65e7719a3d37640bca9f33d3acf7a22b9c25'::bytea,
     x'6f74319a'::integer, '2026-11-01T00:00:00Z', '2026-11-02T00:00:00Z', 4),
    ('_platform', 'Shared_Token',
     '\x016f74319a1681d35bd615b9831d5e700efa3db3fb5536482d300902caeafb25c68fdd1be985060a4dd9ffa2f920c8ab4920f11d25de'::bytea,
     x'6f74319a'::integer, '2026-11-01T00:00:00Z', '2026-11-01T00:00:00Z', 1),
    ('golden-app', 'RETIRED', NULL, NULL, '2026-10-01T00:00:00Z', '2026-10-02T00:00:00Z', 7);
UPDATE {{schema}}.change_version SET version = 12 WHERE id = 1;
INSERT INTO {{schema}}.scope_versions (namespace, version) VALUES ('golden-app', 12), ('_platform', 5);
