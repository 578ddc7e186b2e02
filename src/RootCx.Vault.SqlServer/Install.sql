-- RootCx.Vault SQL Server schema, version 4. Re-runnable, upgrades a version 1, 2 or 3 schema in place and refuses a
-- newer one; a DBA may run it by hand after replacing {{schema}} with the bracket-quoted schema name (default
-- [rootcx_vault]) and {{schema_literal}} with the bare name.
SET XACT_ABORT ON;
BEGIN TRANSACTION;

DECLARE @lock int;
EXEC @lock = sp_getapplock @Resource = N'RootCx.Vault:{{schema_literal}}', @LockMode = N'Exclusive', @LockOwner = N'Transaction', @LockTimeout = 60000;
IF @lock < 0
BEGIN
    RAISERROR(N'RootCx.Vault: could not take the install lock.', 16, 1);
    ROLLBACK TRANSACTION;
    RETURN;
END;

-- Upgrades are one-way: a build refuses a schema newer than the version it knows (4), before changing anything, since
-- it would misread what a newer build wrote (an older build serves soft-deleted rows as live). Error 51001 tells the
-- store to report it as such; XACT_ABORT rolls the transaction back.
IF OBJECT_ID(N'{{schema}}.[SchemaVersion]', N'U') IS NOT NULL
BEGIN
    DECLARE @found int;
    SELECT @found = MAX([Version]) FROM {{schema}}.[SchemaVersion];
    IF @found > 4
    BEGIN
        DECLARE @newer nvarchar(200) = CONCAT(N'schema version ', @found, N' is newer than this build knows (4); upgrade RootCx.Vault');
        THROW 51001, @newer, 1;
    END;
END;

IF SCHEMA_ID(N'{{schema_literal}}') IS NULL
    EXEC (N'CREATE SCHEMA {{schema}}');

IF OBJECT_ID(N'{{schema}}.[SchemaVersion]', N'U') IS NULL
    CREATE TABLE {{schema}}.[SchemaVersion] ([Version] int NOT NULL);

IF NOT EXISTS (SELECT 1 FROM {{schema}}.[SchemaVersion] WHERE [Version] >= 1)
BEGIN
    -- Names compare ignoring case in every database, whatever its default collation.
    CREATE TABLE {{schema}}.[Secrets] (
        [Namespace] varchar(64) COLLATE Latin1_General_100_CI_AS NOT NULL,
        [Name] varchar(128) COLLATE Latin1_General_100_CI_AS NOT NULL,
        [Envelope] varbinary(max) NOT NULL,
        [KeyId] int NOT NULL,
        [CreatedAt] datetimeoffset(7) NOT NULL,
        [UpdatedAt] datetimeoffset(7) NOT NULL,
        [Version] bigint NOT NULL,
        CONSTRAINT [PK_Secrets] PRIMARY KEY CLUSTERED ([Namespace], [Name])
    );
    CREATE INDEX [IX_Secrets_KeyId] ON {{schema}}.[Secrets] ([KeyId]);

    CREATE TABLE {{schema}}.[ChangeVersion] ([Id] tinyint NOT NULL CONSTRAINT [PK_ChangeVersion] PRIMARY KEY, [Version] bigint NOT NULL);
    INSERT INTO {{schema}}.[ChangeVersion] ([Id], [Version]) VALUES (1, 0);

    INSERT INTO {{schema}}.[SchemaVersion] ([Version]) VALUES (1);
END;

-- Version 1 to 2: deleted secrets keep their row (without envelope or key id) so that a name's version never repeats,
-- and the key record holds the ids of the master keys the store was set up with, built from the envelopes held.
-- Statements that name the new table run through EXEC, so this batch compiles against a version 1 schema.
IF NOT EXISTS (SELECT 1 FROM {{schema}}.[SchemaVersion] WHERE [Version] >= 2)
BEGIN
    CREATE TABLE {{schema}}.[KeyIds] ([KeyId] int NOT NULL CONSTRAINT [PK_KeyIds] PRIMARY KEY);
    EXEC (N'INSERT INTO {{schema}}.[KeyIds] ([KeyId]) SELECT DISTINCT [KeyId] FROM {{schema}}.[Secrets];');

    -- A column an index covers cannot change its nullability: the index goes and comes back.
    DROP INDEX [IX_Secrets_KeyId] ON {{schema}}.[Secrets];
    ALTER TABLE {{schema}}.[Secrets] ALTER COLUMN [Envelope] varbinary(max) NULL;
    ALTER TABLE {{schema}}.[Secrets] ALTER COLUMN [KeyId] int NULL;
    CREATE INDEX [IX_Secrets_KeyId] ON {{schema}}.[Secrets] ([KeyId]);
    EXEC (N'ALTER TABLE {{schema}}.[Secrets] ADD
        CONSTRAINT [FK_Secrets_KeyIds] FOREIGN KEY ([KeyId]) REFERENCES {{schema}}.[KeyIds] ([KeyId]),
        CONSTRAINT [CK_Secrets_Deleted] CHECK (([Envelope] IS NULL AND [KeyId] IS NULL) OR ([Envelope] IS NOT NULL AND [KeyId] IS NOT NULL));');

    -- Each scope's version is the change version of its latest write, so a change feed asks which scopes changed
    -- since the version it saw, and reads nothing else.
    CREATE TABLE {{schema}}.[ScopeVersions] (
        [Namespace] varchar(64) COLLATE Latin1_General_100_CI_AS NOT NULL CONSTRAINT [PK_ScopeVersions] PRIMARY KEY,
        [Version] bigint NOT NULL
    );
    CREATE INDEX [IX_ScopeVersions_Version] ON {{schema}}.[ScopeVersions] ([Version]);

    UPDATE {{schema}}.[SchemaVersion] SET [Version] = 2;
END;


-- Version 2 to 3: the audit log. One row per event, numbered without gaps, each carrying the SHA-256 of the one before
-- (docs/FORMAT.md, "Audit chain"); appends queue on an application lock of their own, so the chain stays linear.
IF OBJECT_ID(N'{{schema}}.[AuditEvents]', N'U') IS NULL
BEGIN
    CREATE TABLE {{schema}}.[AuditEvents] (
        [Seq] bigint NOT NULL CONSTRAINT [PK_AuditEvents] PRIMARY KEY,
        [Time] datetimeoffset(6) NOT NULL,
        [Actor] nvarchar(max) NOT NULL,
        [Action] varchar(32) NOT NULL,
        [Namespace] varchar(64) COLLATE Latin1_General_100_CI_AS NOT NULL,
        [Name] varchar(128) COLLATE Latin1_General_100_CI_AS NULL,
        [Version] bigint NULL,
        [KeyId] bigint NULL,
        [Outcome] varchar(16) NOT NULL,
        [PrevHash] binary(32) NOT NULL,
        [Hash] binary(32) NOT NULL
    );
    CREATE INDEX [IX_AuditEvents_Namespace] ON {{schema}}.[AuditEvents] ([Namespace], [Seq]);
END;

UPDATE {{schema}}.[SchemaVersion] SET [Version] = 3 WHERE [Version] = 2;

-- Version 3 to 4: soft delete and history. A deleted secret keeps its envelope, key id and version, with the time of its
-- deletion; purging it makes the row a tombstone (no envelope, key id or deletion time). The filtered indexes hold only
-- live rows and only deleted rows, so listing a scope and purging by age read neither the other kind nor tombstones.
-- [SecretHistory] keeps the rows a set replaced, in a table of its own so that reads of the secrets never scan it.
-- Statements that name the new column run through EXEC, so this batch compiles against a version 3 schema.
IF NOT EXISTS (SELECT 1 FROM {{schema}}.[SchemaVersion] WHERE [Version] >= 4)
BEGIN
    ALTER TABLE {{schema}}.[Secrets] ADD [DeletedAt] datetimeoffset(7) NULL;
    EXEC (N'ALTER TABLE {{schema}}.[Secrets] ADD CONSTRAINT [CK_Secrets_Purged] CHECK ([DeletedAt] IS NULL OR [KeyId] IS NOT NULL);
        CREATE INDEX [IX_Secrets_Live] ON {{schema}}.[Secrets] ([Namespace]) WHERE [KeyId] IS NOT NULL AND [DeletedAt] IS NULL;
        CREATE INDEX [IX_Secrets_Deleted] ON {{schema}}.[Secrets] ([DeletedAt]) WHERE [DeletedAt] IS NOT NULL;');

    CREATE TABLE {{schema}}.[SecretHistory] (
        [Namespace] varchar(64) COLLATE Latin1_General_100_CI_AS NOT NULL,
        [Name] varchar(128) COLLATE Latin1_General_100_CI_AS NOT NULL,
        [Envelope] varbinary(max) NOT NULL,
        [KeyId] int NOT NULL CONSTRAINT [FK_SecretHistory_KeyIds] REFERENCES {{schema}}.[KeyIds] ([KeyId]),
        [CreatedAt] datetimeoffset(7) NOT NULL,
        [UpdatedAt] datetimeoffset(7) NOT NULL,
        [Version] bigint NOT NULL,
        CONSTRAINT [PK_SecretHistory] PRIMARY KEY CLUSTERED ([Namespace], [Name], [Version])
    );
    CREATE INDEX [IX_SecretHistory_KeyId] ON {{schema}}.[SecretHistory] ([KeyId]);

    UPDATE {{schema}}.[SchemaVersion] SET [Version] = 4;
END;

COMMIT TRANSACTION;
