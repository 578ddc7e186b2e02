-- RootCx.Vault PostgreSQL schema, version 4 (PostgreSQL 14 or later). Re-runnable, upgrades a version 1, 2 or 3 schema
-- in place and refuses a newer one; a DBA may run it by hand with psql after replacing {{schema}} with the double-quoted
-- schema name (default "rootcx_vault") and {{schema_literal}} with the bare name.
BEGIN;

-- Installers of one schema queue here, so two processes starting at once cannot race on CREATE.
SELECT pg_advisory_xact_lock(hashtextextended('RootCx.Vault:{{schema_literal}}', 0));

-- Upgrades are one-way: a build refuses a schema newer than the version it knows (4), before changing anything, since
-- it would misread what a newer build wrote (an older build serves soft-deleted rows as live). SQLSTATE RXV01 tells
-- the store to report it as such.
DO $$
DECLARE
    found integer;
BEGIN
    IF to_regclass('{{schema}}.schema_version') IS NOT NULL THEN
        EXECUTE 'SELECT max(version) FROM {{schema}}.schema_version' INTO found;
        IF found > 4 THEN
            RAISE EXCEPTION 'schema version % is newer than this build knows (4); upgrade RootCx.Vault', found USING ERRCODE = 'RXV01';
        END IF;
    END IF;
END
$$;

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
    -- Both NULL for a purged secret (a tombstone): its row stays so that its version continues when the name is set again.
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

-- Version 4: soft delete and history. A deleted secret keeps its envelope, key id and version, with the time of its
-- deletion; purging it makes the row a tombstone (no envelope, key id or deletion time). Live rows are those with a
-- key id and no deletion time: the partial indexes below hold only live rows and only deleted rows, so listing a
-- scope and purging by age read neither the other kind nor tombstones. Their predicates name key_id, never envelope,
-- so a set that keeps its key id and its row live changes no indexed column and stays a HOT update.
-- ALTER TABLE locks out every reader and writer, so it runs only when the column is missing, never at each start.
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = '{{schema}}.secrets'::regclass AND attname = 'deleted_at' AND NOT attisdropped) THEN
        ALTER TABLE {{schema}}.secrets
            ADD COLUMN deleted_at timestamptz,
            ADD CONSTRAINT secrets_purged_check CHECK (deleted_at IS NULL OR key_id IS NOT NULL);
    END IF;
END
$$;
CREATE INDEX IF NOT EXISTS secrets_live ON {{schema}}.secrets (namespace) WHERE key_id IS NOT NULL AND deleted_at IS NULL;
CREATE INDEX IF NOT EXISTS secrets_deleted ON {{schema}}.secrets (deleted_at) WHERE deleted_at IS NOT NULL;

-- The older versions of live and deleted secrets: the row a set replaced, as it was. A table of its own, so reads
-- and listings of the secrets never scan it; purging a secret deletes its rows here.
CREATE TABLE IF NOT EXISTS {{schema}}.secret_history (
    namespace text NOT NULL,
    name text NOT NULL,
    name_key text GENERATED ALWAYS AS (upper(name COLLATE "C")) STORED,
    envelope bytea NOT NULL,
    key_id integer NOT NULL CONSTRAINT secret_history_key_id_fkey REFERENCES {{schema}}.key_ids (key_id),
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    version bigint NOT NULL,
    CONSTRAINT secret_history_pkey PRIMARY KEY (namespace, name_key, version)
);
CREATE INDEX IF NOT EXISTS secret_history_key_id ON {{schema}}.secret_history (key_id);

UPDATE {{schema}}.schema_version SET version = 4 WHERE version = 3;

COMMIT;
