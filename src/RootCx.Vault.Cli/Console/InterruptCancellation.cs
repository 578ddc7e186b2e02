using System.Runtime.InteropServices;

namespace RootCx.Vault.Cli.Console;

/// <summary>
/// Turns the first SIGINT or SIGTERM into cancellation, so long work stops between two secrets and cleans up (export
/// removes its temporary file) instead of the runtime ending the process on the spot; a second signal ends it as usual.
/// Created after any prompt: a prompt blocked reading a key could not see the token.
/// </summary>
internal sealed class InterruptCancellation : IDisposable
{
    private readonly CancellationTokenSource _source;
    private readonly PosixSignalRegistration[] _registrations;

    public InterruptCancellation(CancellationToken outer)
    {
        _source = CancellationTokenSource.CreateLinkedTokenSource(outer);
        _registrations = [Register(PosixSignal.SIGINT), Register(PosixSignal.SIGTERM)];
    }

    public CancellationToken Token => _source.Token;

    public void Dispose()
    {
        Array.ForEach(_registrations, r => r.Dispose());
        _source.Dispose();
    }

    private PosixSignalRegistration Register(PosixSignal signal) => PosixSignalRegistration.Create(signal, context =>
    {
        context.Cancel = !_source.IsCancellationRequested;
        _source.Cancel();
    });
}
