using RootCx.Vault.Storage;

namespace RootCx.Vault.SqlServer;

public sealed partial class SqlServerSecretStore
{
    /// <inheritdoc />
    /// <remarks>One transaction per batch, sent as one JSON parameter and read with OPENJSON: the batch lands whole or not at all.</remarks>
    public ValueTask<int> ImportAsync(IReadOnlyList<StoredSecret> secrets, CancellationToken cancellationToken = default) =>
        _core.ImportAsync(secrets, cancellationToken);
}
