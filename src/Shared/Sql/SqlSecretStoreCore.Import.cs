using System.Data.Common;
using Dapper;
using RootCx.Vault.Storage;

namespace RootCx.Vault.Sql;

internal sealed partial class SqlSecretStoreCore
{
    public async ValueTask<int> ImportAsync(IReadOnlyList<StoredSecret> secrets, CancellationToken cancellationToken)
    {
        ImportBatch.RequireDistinctNames(secrets);
        cancellationToken.ThrowIfCancellationRequested();
        if (secrets.Count == 0)
        {
            return 0;
        }

        object parameters = _sql.ImportParameters(secrets);
        ImportRow row = await RunAsync(
            async connection =>
            {
                try
                {
                    return await connection.QuerySingleAsync<ImportRow>(Command(_sql.Import, parameters, cancellationToken)).ConfigureAwait(false);
                }
                catch (DbException ex) when (_sql.IsForeignKeyViolation(ex))
                {
                    // A key id of the batch was removed from the record between the statement's check and its write.
                    throw new SecretStoreException("A master key id of the batch left the store's key record while it was being imported; nothing was written.", ex);
                }
            },
            cancellationToken).ConfigureAwait(false);
        return row.Unrecorded is int keyId ? throw UnrecordedKey(keyId) : checked((int)row.Written);
    }

    /// <summary>The one row an import statement returns.</summary>
    private sealed class ImportRow
    {
        public long Written { get; set; }

        public int? Unrecorded { get; set; }
    }
}
