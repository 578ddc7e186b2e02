namespace RootCx.Vault.Cli.Hosting;

/// <summary>The stores the tool can open.</summary>
internal enum StoreKind
{
    FileSystem,
    PostgreSql,
    SqlServer,
}
