using System.Diagnostics;
using System.Runtime.InteropServices;

namespace RootCx.Vault.Cli.Processes;

/// <summary>
/// Forwards SIGINT and SIGTERM to the current child instead of letting them end the tool, so the child decides how to
/// stop and the tool exits with its code. On Windows the console already delivers Ctrl+C to the child.
/// </summary>
internal sealed partial class ChildSignals : IDisposable
{
    // The same numbers on Linux and macOS; PosixSignal's values are .NET's own, not the OS's.
    private const int SigInt = 2;
    private const int SigTerm = 15;

    private readonly PosixSignalRegistration[] _registrations;
    private readonly CancellationTokenSource _received = new();

    // Written with Interlocked (a full fence) and read after: a signal racing Attach is delivered at least once.
    private Process? _child;
    private int _pending;

    public ChildSignals()
    {
        _registrations =
        [
            PosixSignalRegistration.Create(PosixSignal.SIGINT, context => Forward(context, SigInt)),
            PosixSignalRegistration.Create(PosixSignal.SIGTERM, context => Forward(context, SigTerm)),
        ];
    }

    /// <summary>Gets a token that fires once a signal arrived: the child is stopping and must not be restarted.</summary>
    public CancellationToken Received => _received.Token;

    /// <summary>Sets the process that signals go to, and hands it the signal that came while it was starting, if any.</summary>
    public void Attach(Process child)
    {
        Interlocked.Exchange(ref _child, child);

        // A signal that came while the child was starting found no one to forward to: it gets it now, as it is.
        int pending = Volatile.Read(ref _pending);
        if (pending != 0 && !OperatingSystem.IsWindows())
        {
            _ = Kill(child.Id, pending);
        }
    }

    /// <summary>Asks a child to stop, as SIGTERM from outside would.</summary>
    public static void Terminate(Process child)
    {
        if (OperatingSystem.IsWindows())
        {
            child.Kill(entireProcessTree: true);
        }
        else
        {
            _ = Kill(child.Id, SigTerm);
        }
    }

    public void Dispose()
    {
        foreach (PosixSignalRegistration registration in _registrations)
        {
            registration.Dispose();
        }

        _received.Dispose();
    }

    private void Forward(PosixSignalContext context, int signal)
    {
        context.Cancel = true;
        Interlocked.Exchange(ref _pending, signal);
        _received.Cancel();
        if (!OperatingSystem.IsWindows() && Volatile.Read(ref _child) is { } child)
        {
            _ = Kill(child.Id, signal);
        }
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
