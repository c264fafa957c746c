namespace Engine.Kernels;

/// <summary>
/// A tiny dedicated pool for GEMM: parts 1..parts-1 of a job run on long-lived background threads while
/// the caller runs part 0, then the caller waits for the rest. Nothing is allocated per call (the job
/// lives on the caller's stack, the body is a function pointer); threads are created once, on the first
/// parallel call. One job at a time: a caller that finds the pool busy runs all parts itself, which gives
/// the same result because parts write disjoint tiles of C.
/// </summary>
internal static unsafe class GemmWorkers
{
    private static readonly object Gate = new();
    // Both events spin before they block: GEMM calls in a training step come every few tens of
    // microseconds, and waking a blocked thread costs about as much as a small product itself.
    private const int SpinCount = 2047; // the most ManualResetEventSlim allows
    private static readonly ManualResetEventSlim Done = new(false, SpinCount);
    private static Worker[] s_workers = [];
    private static delegate*<void*, int, void> s_body;
    private static void* s_job;
    private static int s_pending;
    private static Exception? s_error;

    /// <summary>Runs body(job, part) for every part in [0, parts) and returns when all have finished.</summary>
    public static void Run(delegate*<void*, int, void> body, void* job, int parts)
    {
        if (parts <= 1 || !Monitor.TryEnter(Gate))
        {
            for (int part = 0; part < parts; part++)
                body(job, part);
            return;
        }

        Exception? error;
        try
        {
            EnsureWorkers(parts - 1);
            s_body = body;
            s_job = job;
            s_error = null;
            s_pending = parts - 1;
            Done.Reset();
            for (int w = 0; w < parts - 1; w++)
                s_workers[w].Start(w + 1);
            try
            {
                body(job, 0);
            }
            finally
            {
                // The job lives on our stack: never return before every worker is done with it.
                Done.Wait();
            }
            error = s_error;
            s_job = null;
        }
        finally
        {
            Monitor.Exit(Gate);
        }
        if (error != null)
            throw new AggregateException("A GEMM worker thread failed.", error);
    }

    /// <summary>Starts the worker threads up front (they are otherwise created by the first parallel call).</summary>
    public static void Prestart(int count)
    {
        lock (Gate)
            EnsureWorkers(count);
    }

    private static void EnsureWorkers(int count)
    {
        if (s_workers.Length >= count)
            return;
        var workers = new Worker[count];
        s_workers.CopyTo(workers, 0);
        for (int w = s_workers.Length; w < count; w++)
            workers[w] = new Worker(w + 1);
        s_workers = workers;
    }

    private sealed class Worker
    {
        private readonly ManualResetEventSlim _start = new(false, SpinCount);
        private int _part;

        public Worker(int index)
        {
            var thread = new Thread(Loop) { IsBackground = true, Name = $"Engine GEMM worker {index}" };
            thread.Start();
        }

        public void Start(int part)
        {
            _part = part;
            _start.Set();
        }

        private void Loop()
        {
            while (true)
            {
                _start.Wait();
                _start.Reset();
                try
                {
                    s_body(s_job, _part);
                }
#pragma warning disable CA1031 // the failure is handed to the calling thread, which rethrows it
                catch (Exception e)
#pragma warning restore CA1031
                {
                    s_error = e;
                }
                if (Interlocked.Decrement(ref s_pending) == 0)
                    Done.Set();
            }
        }
    }
}
