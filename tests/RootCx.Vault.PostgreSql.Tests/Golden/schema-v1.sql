-- Golden: the version 1 schema exactly as RootCx.Vault 0.x installed it, then one secret sealed under
-- TestKeys.Primary (tests/RootCx.Vault.Tests/Golden/envelopes-v1.txt). Never change it: databases written by version 1
-- must keep upgrading.
-- RootCx.Vault PostgreSQL schema, version 1. Re-runnable; a DBA may run it by hand with psql after replacing
-- {{schema}} with the double-quoted schema name (default "rootcx_vault") and {{schema_literal}} with the bare name.
BEGIN;

-- Installers of one schema queue here, so two processes starting at once cannot race on CREATE.
SELECT pg_advisory_xact_lock(hashtextextended('RootCx.Vault:{{schema_literal}}', 0));

CREATE SCHEMA IF NOT EXISTS {{schema}};

CREATE TABLE IF NOT EXISTS {{schema}}.schema_version (version integer NOT NULL);

CREATE TABLE IF NOT EXISTS {{schema}}.secrets (
    namespace text NOT NULL,
    name text NOT NULL,
    -- Names are unique ignoring case. They are ASCII, and upper() under the "C" collation maps ASCII only, so the
    -- database's locale (Turkish dotted i, say) cannot change which names collide.
    name_key text GENERATED ALWAYS AS (upper(name COLLATE "C")) STORED,
    envelope bytea NOT NULL,
    key_id integer NOT NULL,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    version bigint NOT NULL,
    CONSTRAINT secrets_pkey PRIMARY KEY (namespace, name_key)
);
CREATE INDEX IF NOT EXISTS secrets_key_id ON {{schema}}.secrets (key_id);

CREATE TABLE IF NOT EXISTS {{schema}}.change_version (
    id smallint NOT NULL CONSTRAINT change_version_pkey PRIMARY KEY CHECK (id = 1),
    version bigint NOT NULL
);
INSERT INTO {{schema}}.change_version (id, version) VALUES (1, 0) ON CONFLICT (id) DO NOTHING;

INSERT INTO {{schema}}.schema_version (version) SELECT 1 WHERE NOT EXISTS (SELECT 1 FROM {{schema}}.schema_version);

COMMIT;

INSERT INTO {{schema}}.secrets (namespace, name, envelope, key_id, created_at, updated_at, version)
VALUES ('golden-app', 'GOLDEN_SECRET',
        '\x016f74319aee95c0676dd9b637a16360d3b9fab7713bee57b67e49fd233f5f3aeab565b0591c65e7719a3d37640bca9f33d3acf7a22b9c25'::bytea,
        x'6f74319a'::integer, '2026-11-01T00:00:00Z', '2026-11-02T00:00:00Z', 4);
UPDATE {{schema}}.change_version SET version = 5 WHERE id = 1;
