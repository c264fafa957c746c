using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;

namespace Engine.Data;

/// <summary>
/// Runs an action on each added item, in order, on a thread of its own: items are handed over in batches (so the
/// hand-over costs little per item) through a bounded queue (so the adding thread cannot run far ahead). The first
/// exception stops the work; it is rethrown to the adding thread by the next <see cref="Add"/> or by
/// <see cref="Complete"/>. Items added after it are drained unprocessed, so the adding thread never blocks.
/// </summary>
internal sealed class BackgroundBatches<TItem> : IDisposable
{
    private const int QueuedBatches = 16;

    private readonly Action<TItem> _action;
    private readonly int _batchSize;
    private readonly BlockingCollection<TItem[]> _queue = new(QueuedBatches);
    private readonly Thread _thread;
    private TItem[]? _batch;
    private int _batchCount;
    private ExceptionDispatchInfo? _error;
    private volatile bool _failed;
    private bool _completed;

    /// <summary>Starts the thread, named <paramref name="threadName"/>, that runs <paramref name="action"/>.</summary>
    public BackgroundBatches(Action<TItem> action, int batchSize, string threadName)
    {
        _action = action;
        _batchSize = batchSize;
        _thread = new Thread(Consume) { IsBackground = true, Name = threadName };
        _thread.Start();
    }

    /// <summary>Queues an item; throws the error the thread found on an earlier item, if any.</summary>
    public void Add(TItem item)
    {
        if (_failed)
            Complete();
        _batch ??= new TItem[_batchSize];
        _batch[_batchCount++] = item;
        if (_batchCount == _batchSize)
        {
            _queue.Add(_batch);
            _batch = null;
            _batchCount = 0;
        }
    }

    /// <summary>Waits for every added item to be processed; rethrows the thread's error, if any.</summary>
    public void Complete()
    {
        if (!_completed)
        {
            _completed = true;
            if (_batchCount > 0)
                _queue.Add(_batch![.._batchCount]);
            _queue.CompleteAdding();
            _thread.Join();
        }
        _error?.Throw();
    }

    private void Consume()
    {
        foreach (var batch in _queue.GetConsumingEnumerable())
        {
            if (_failed)
                continue; // keep draining so the adding thread never blocks
            try
            {
                foreach (var item in batch)
                    _action(item);
            }
            catch (Exception e)
            {
                _error = ExceptionDispatchInfo.Capture(e);
                _failed = true;
            }
        }
    }

    /// <summary>Stops the thread (dropping what is queued, when <see cref="Complete"/> was not called) and frees the queue.</summary>
    public void Dispose()
    {
        if (!_completed)
        {
            _completed = true;
            _failed = true;
            _queue.CompleteAdding();
            _thread.Join();
        }
        _queue.Dispose();
    }
}
