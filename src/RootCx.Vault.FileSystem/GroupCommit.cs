using System.Collections.Concurrent;

namespace RootCx.Vault.FileSystem;

/// <summary>
/// Group commit: writes that queue while the store lock is busy are applied by whichever writer takes the lock next,
/// together. Each is applied in queue order against the state the ones before it left, as if they ran one by one;
/// then their files are written and fsynced in parallel, renamed into place, and each folder touched is fsynced once,
/// instead of once per write. Every write is acknowledged only once all of that is on disk, so durability is the same
/// as one write at a time; what is shared is the waiting (measured in benchmarks/README.md, GroupCommitBenchmarks).
/// </summary>
internal sealed class GroupCommit(StoreLock storeLock, Action<WriteBatch> commit)
{
    private readonly ConcurrentQueue<PendingWrite> _queue = new();

    /// <summary>Runs <paramref name="operation"/> in the next batch and returns its result once the batch is durable.</summary>
    /// <param name="operation">Reads and writes through the batch; throws before writing anything to refuse.</param>
    /// <param name="cancellationToken">Cancels the write while it waits; once a batch has taken it, it completes.</param>
    public async ValueTask<T> RunAsync<T>(Func<WriteBatch, T> operation, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var pending = new PendingWrite<T>(operation);
        _queue.Enqueue(pending);
        IDisposable held;
        try
        {
            held = await storeLock.AcquireAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception) when (!pending.TryCancel())
        {
            // Canceled, or the lock failed (its file unreadable, say), after a batch took the write: it lands, so
            // report how. Otherwise TryCancel withdrew it and the failure is the caller's: no batch will apply it.
            return await pending.Result.ConfigureAwait(false);
        }

        using (held)
        {
            if (!pending.Result.IsCompleted)
            {
                RunBatch();
            }
        }

        return await pending.Result.ConfigureAwait(false);
    }

    /// <summary>Applies and commits everything queued. Call only while holding the store lock.</summary>
    private void RunBatch()
    {
        var batch = new WriteBatch();
        var applied = new List<PendingWrite>();
        while (_queue.TryDequeue(out PendingWrite? pending))
        {
            if (pending.TryClaim() && pending.Apply(batch))
            {
                applied.Add(pending);
            }
        }

        try
        {
            commit(batch);
        }
        catch (Exception ex)
        {
            applied.ForEach(p => p.Fail(ex));
            return;
        }

        applied.ForEach(p => p.Succeed());
    }

    private abstract class PendingWrite
    {
        private const int Waiting = 0, Claimed = 1, Canceled = 2;
        private int _state;

        public bool TryClaim() => Interlocked.CompareExchange(ref _state, Claimed, Waiting) == Waiting;

        public bool TryCancel() => Interlocked.CompareExchange(ref _state, Canceled, Waiting) == Waiting;

        /// <summary>Applies the write to the batch; returns false when it was refused (and failed).</summary>
        public abstract bool Apply(WriteBatch batch);

        public abstract void Succeed();

        public abstract void Fail(Exception exception);
    }

    private sealed class PendingWrite<T>(Func<WriteBatch, T> operation) : PendingWrite
    {
        private readonly TaskCompletionSource<T> _result = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private T? _value;

        public Task<T> Result => _result.Task;

        public override bool Apply(WriteBatch batch)
        {
            WriteBatch.Savepoint savepoint = batch.Save();
            try
            {
                _value = operation(batch);
                return true;
            }
            catch (Exception ex)
            {
                batch.RollBack(savepoint);
                _result.TrySetException(ex);
                return false;
            }
        }

        public override void Succeed() => _result.TrySetResult(_value!);

        public override void Fail(Exception exception) => _result.TrySetException(exception);
    }
}
