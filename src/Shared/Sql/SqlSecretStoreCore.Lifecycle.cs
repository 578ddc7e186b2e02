using System.Runtime.CompilerServices;
using Dapper;
using RootCx.Vault.Storage;

namespace RootCx.Vault.Sql;

internal sealed partial class SqlSecretStoreCore
{
    // Deleted secrets purged per statement by PurgeDeletedAsync: one transaction never holds more rows than this.
    private const int PurgeBatchSize = 1000;

    public async ValueTask<IReadOnlyList<StoredSecret>> GetHistoryAsync(SecretScope scope, SecretName name, CancellationToken cancellationToken)
    {
        IEnumerable<SecretRow> rows = await RunAsync(
            connection => connection.QueryAsync<SecretRow>(Command(_sql.History, Key(scope, name), cancellationToken)),
            cancellationToken).ConfigureAwait(false);
        return [.. rows.Select(row => row.ToStoredSecret(scope))];
    }

    public async IAsyncEnumerable<StoredSecret> ListHistoryAsync(SecretScope scope, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        IEnumerable<SecretRow> rows = await RunAsync(
            connection => connection.QueryAsync<SecretRow>(Command(_sql.ListHistory, new { Namespace = scope.Namespace }, cancellationToken)),
            cancellationToken).ConfigureAwait(false);
        foreach (SecretRow row in rows)
        {
            yield return row.ToStoredSecret(scope);
        }
    }

    public ValueTask<bool> ReplaceHistoryEnvelopeAsync(SecretScope scope, SecretName name, long version, ReadOnlyMemory<byte> envelope, MasterKeyId keyId, CancellationToken cancellationToken)
    {
        var parameters = new { Namespace = scope.Namespace, Name = name.Value, Version = version, Envelope = envelope.ToArray(), KeyId = ToColumn(keyId) };
        return RunAsync(
            async connection =>
            {
                int replaced = await UnderRecordedKeyAsync(
                    () => connection.ExecuteAsync(Command(_sql.ReplaceHistoryEnvelope, parameters, cancellationToken)),
                    parameters.KeyId).ConfigureAwait(false);
                if (replaced == 0 && !await IsRecordedAsync(connection, parameters.KeyId, cancellationToken).ConfigureAwait(false))
                {
                    throw UnrecordedKey(parameters.KeyId);
                }

                return replaced > 0;
            },
            cancellationToken);
    }

    public async IAsyncEnumerable<DeletedSecret> ListDeletedAsync(SecretScope scope, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        IEnumerable<SecretRow> rows = await RunAsync(
            connection => connection.QueryAsync<SecretRow>(Command(_sql.ListDeleted, new { Namespace = scope.Namespace }, cancellationToken)),
            cancellationToken).ConfigureAwait(false);
        foreach (SecretRow row in rows)
        {
            yield return row.ToDeletedSecret(scope);
        }
    }

    public async ValueTask<StoredSecret?> RecoverAsync(SecretScope scope, SecretName name, CancellationToken cancellationToken)
    {
        SecretRow? row = await RunAsync(
            connection => connection.QuerySingleOrDefaultAsync<SecretRow>(Command(_sql.Recover, Key(scope, name), cancellationToken)),
            cancellationToken).ConfigureAwait(false);
        return row?.ToStoredSecret(scope);
    }

    public async ValueTask<DeletedSecret?> PurgeAsync(SecretScope scope, SecretName name, CancellationToken cancellationToken)
    {
        SecretRow? row = await RunAsync(
            connection => connection.QuerySingleOrDefaultAsync<SecretRow>(Command(_sql.Purge, Key(scope, name), cancellationToken)),
            cancellationToken).ConfigureAwait(false);
        return row?.ToDeletedSecret(scope);
    }

    public async ValueTask<IReadOnlyList<DeletedSecret>> PurgeDeletedAsync(DateTimeOffset deletedBefore, CancellationToken cancellationToken)
    {
        var parameters = new { DeletedBefore = deletedBefore.ToUniversalTime(), Limit = PurgeBatchSize };
        var purged = new List<DeletedSecret>();
        int batch;
        do
        {
            cancellationToken.ThrowIfCancellationRequested();
            SecretRow[] rows = [.. await RunAsync(
                connection => connection.QueryAsync<SecretRow>(Command(_sql.PurgeDeleted, parameters, cancellationToken)),
                cancellationToken).ConfigureAwait(false)];
            purged.AddRange(rows.Select(row => row.ToDeletedSecret(SecretScope.FromNamespace(row.Namespace!))));
            batch = rows.Length;
        }
        while (batch == PurgeBatchSize);

        return purged;
    }
}
