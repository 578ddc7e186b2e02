using Microsoft.Extensions.Primitives;

namespace RootCx.Vault.Changes;

/// <summary>
/// The source of a stream of change tokens: <see cref="Token"/> fires at the next <see cref="Fire"/>, and a fresh one
/// is in place before the callbacks run, so a callback that subscribes again (as <c>ChangeToken.OnChange</c> does)
/// waits for the change after. Compiled into each package that hands out change tokens (src/Shared/Changes).
/// </summary>
internal sealed class ChangeSignal : IDisposable
{
    private readonly Lock _lock = new();
    private CancellationTokenSource _source = new();
    private bool _disposed;

    public IChangeToken Token
    {
        get
        {
            lock (_lock)
            {
                return new CancellationChangeToken(_source.Token);
            }
        }
    }

    /// <summary>Fires the current token; does nothing once disposed (a watcher's last event may still arrive).</summary>
    /// <exception cref="AggregateException">Callbacks threw; every callback still ran.</exception>
    public void Fire()
    {
        CancellationTokenSource fired;
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            fired = _source;
            _source = new CancellationTokenSource();
        }

        try
        {
            fired.Cancel();
        }
        finally
        {
            fired.Dispose();
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _disposed = true;
            _source.Dispose();
        }
    }
}
