-- RootCx.Vault SQL Server schema, version 1. Re-runnable; a DBA may run it by hand after replacing {{schema}}
-- with the bracket-quoted schema name (default [rootcx_vault]).
SET XACT_ABORT ON;
BEGIN TRANSACTION;

DECLARE @lock int;
EXEC @lock = sp_getapplock @Resource = N'RootCx.Vault:{{schema}}', @LockMode = N'Exclusive', @LockOwner = N'Transaction', @LockTimeout = 60000;
IF @lock < 0
BEGIN
    RAISERROR(N'RootCx.Vault: could not take the install lock.', 16, 1);
    ROLLBACK TRANSACTION;
    RETURN;
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

COMMIT TRANSACTION;
