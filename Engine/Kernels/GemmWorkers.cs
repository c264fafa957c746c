namespace Engine.Kernels;

/// <summary>
/// A tiny dedicated pool for GEMM. A job is a fixed list of parts (disjoint tiles of C); the caller and up to
/// threads − 1 long-lived background threads claim parts from a shared counter until none is left, so a thread
/// that is slow to start (its core busy with another process) simply takes fewer parts and the call slows in
/// proportion instead of waiting for it. Which thread runs a part never changes what the part computes, so the
/// result is bit-identical whatever the thread count and timing. Nothing is allocated per call (the job lives on
/// the caller's stack, the body is a function pointer); threads are created once, on the first parallel call.
/// One job at a time: a caller that finds the pool busy runs all parts itself.
/// </summary>
internal static unsafe class GemmWorkers
{
    private static readonly object Gate = new();
    // Workers spin before they block: GEMM calls in a training step come every few tens of microseconds, and
    // waking a blocked thread costs about as much as a small product itself.
    private const int SpinCount = 2047; // the most ManualResetEventSlim allows
    // The claim counter after the caller has finished: any later claim is past the end (room for 2³⁰ late claims).
    private const int Closed = 1 << 30;
    private static Worker[] s_workers = [];
    private static delegate*<void*, int, void> s_body;
    private static void* s_job;
    private static int s_parts;
    private static int s_next = Closed; // the next part to claim
    private static int s_completed;     // parts finished by the workers (the caller counts its own)
    private static Exception? s_error;

    /// <summary>
    /// Runs body(job, part) for every part in [0, parts) on at most <paramref name="threads"/> threads (the caller
    /// included) and returns when all have finished.
    /// </summary>
    public static void Run(delegate*<void*, int, void> body, void* job, int parts, int threads)
    {
        int helpers = Math.Min(threads, parts) - 1;
        if (helpers <= 0 || !Monitor.TryEnter(Gate))
        {
            for (int part = 0; part < parts; part++)
                body(job, part);
            return;
        }

        Exception? error;
        try
        {
            EnsureWorkers(helpers);
            s_body = body;
            s_job = job;
            s_parts = parts;
            s_error = null;
            Volatile.Write(ref s_completed, 0);
            Volatile.Write(ref s_next, 0); // publishes the job: a claim below s_parts sees the fields above
            for (int w = 0; w < helpers; w++)
                s_workers[w].Wake();
            int own = 0;
            try
            {
                int part;
                while ((part = Interlocked.Increment(ref s_next) - 1) < parts)
                {
                    body(job, part);
                    own++;
                }
            }
            finally
            {
                // The job lives on our stack: no claim after this, and never return before every claimed part is done.
                int claimed = Math.Min(Interlocked.Exchange(ref s_next, Closed), parts);
                var spin = new SpinWait();
                while (Volatile.Read(ref s_completed) + own < claimed)
                    spin.SpinOnce(sleep1Threshold: -1);
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

    /// <summary>A worker's share of the current job: claim parts until none is left.</summary>
    private static void Help()
    {
        int part;
        while ((part = Interlocked.Increment(ref s_next) - 1) < Volatile.Read(ref s_parts))
        {
            try
            {
                s_body(s_job, part);
            }
#pragma warning disable CA1031 // the failure is handed to the calling thread, which rethrows it
            catch (Exception e)
#pragma warning restore CA1031
            {
                s_error = e;
            }
            Interlocked.Increment(ref s_completed);
        }
    }

    private sealed class Worker
    {
        private readonly ManualResetEventSlim _start = new(false, SpinCount);

        public Worker(int index)
        {
            var thread = new Thread(Loop) { IsBackground = true, Name = $"Engine GEMM worker {index}" };
            thread.Start();
        }

        public void Wake() => _start.Set();

        private void Loop()
        {
            while (true)
            {
                _start.Wait();
                _start.Reset();
                Help();
            }
        }
    }
}
