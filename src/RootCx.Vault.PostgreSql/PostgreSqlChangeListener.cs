using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Primitives;
using Npgsql;
using RootCx.Vault.Changes;

namespace RootCx.Vault.PostgreSql;

/// <summary>
/// Holds one connection that LISTENs on the store's channel and fires a change token on every notification, which
/// the server sends when a write commits (a trigger on the change version, Install.sql). When the connection is
/// lost (a server restart, a network fault) it fires too, so the change feed checks, and reconnects with backoff;
/// the feed's polling covers the time in between, so no change is missed.
/// </summary>
internal sealed class PostgreSqlChangeListener : IAsyncDisposable
{
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(30);

    // A silent network can leave a dead connection waiting forever: past this, the listener asks the server.
    private static readonly TimeSpan ProbeAfter = TimeSpan.FromSeconds(30);

    private readonly NpgsqlDataSource _dataSource;
    private readonly string _channel;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _lock = new();
    private readonly ChangeSignal _changed = new();
    private Task? _listening;

    public PostgreSqlChangeListener(NpgsqlDataSource dataSource, string schemaName, ILogger logger)
    {
        _dataSource = dataSource;
        _channel = ChannelOf(schemaName);
        _logger = logger;
    }

    /// <summary>The channel Install.sql's trigger notifies: 'rcxv_' and the schema name, cut to 63 bytes.</summary>
    public static string ChannelOf(string schemaName)
    {
        string channel = "rcxv_" + schemaName;
        return channel.Length <= 63 ? channel : channel[..63];
    }

    /// <summary>Returns a token for the next notification, starting to listen on the first call.</summary>
    public IChangeToken Watch()
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_stopping.IsCancellationRequested, this);
            _listening ??= Task.Run(ListenAsync);
            return _changed.Token;
        }
    }

    public async ValueTask DisposeAsync()
    {
        lock (_lock)
        {
            if (_stopping.IsCancellationRequested)
            {
                return;
            }

            _stopping.Cancel();
        }

        if (_listening is not null)
        {
            await _listening.ConfigureAwait(false);
        }

        _stopping.Dispose();
        _changed.Dispose();
    }

    private async Task ListenAsync()
    {
        CancellationToken stopping = _stopping.Token;
        TimeSpan backoff = TimeSpan.FromSeconds(1);
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await using NpgsqlConnection connection = await _dataSource.OpenConnectionAsync(stopping).ConfigureAwait(false);
                connection.Notification += (_, _) => Fire();
                await using (var listen = new NpgsqlCommand($"LISTEN \"{_channel}\";", connection))
                {
                    await listen.ExecuteNonQueryAsync(stopping).ConfigureAwait(false);
                }

                // Whatever was written while no one listened is found by the check this asks for.
                PostgreSqlStoreLog.Listening(_logger, _channel);
                Fire();
                backoff = TimeSpan.FromSeconds(1);
                while (true)
                {
                    if (!await connection.WaitAsync(ProbeAfter, stopping).ConfigureAwait(false))
                    {
                        await using var probe = new NpgsqlCommand("SELECT 1;", connection);
                        await probe.ExecuteScalarAsync(stopping).ConfigureAwait(false);
                    }
                }
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (!stopping.IsCancellationRequested)
            {
                // Whatever broke the connection (server restart, network, failover), the answer is to reconnect.
                PostgreSqlStoreLog.ListenerLost(_logger, _channel, backoff, ex);
                Fire();
            }

            try
            {
                await Task.Delay(backoff, stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, MaxBackoff.Ticks));
        }
    }

    private void Fire()
    {
        try
        {
            _changed.Fire();
        }
        catch (AggregateException ex)
        {
            // Raised on the listener's own task, which must keep listening for the other watchers.
            PostgreSqlStoreLog.ChangeCallbackFailed(_logger, ex);
        }
    }
}
