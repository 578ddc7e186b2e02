using RootCx.Vault.Storage;

namespace RootCx.Vault.PostgreSql;

public sealed partial class PostgreSqlSecretStore
{
    /// <inheritdoc />
    /// <remarks>
    /// One statement per batch (the columns sent as arrays and unnested), so the batch lands whole or not at all; the
    /// change version moves once and its trigger sends one notification at commit.
    /// </remarks>
    public ValueTask<int> ImportAsync(IReadOnlyList<StoredSecret> secrets, CancellationToken cancellationToken = default) =>
        _core.ImportAsync(secrets, cancellationToken);
}
