namespace Engine.Tests.Data;

/// <summary><see cref="BackgroundBatches{TItem}"/>: every item processed once, in order, on its own thread; the first error reaches the adding thread.</summary>
public class BackgroundBatchesTests
{
    [Theory]
    [InlineData(1, 0)]
    [InlineData(1, 5)]
    [InlineData(4, 3)]    // one partial batch only
    [InlineData(4, 8)]    // whole batches only
    [InlineData(7, 1000)] // many batches, more than the queue holds, and a partial one
    public void Every_item_is_processed_once_in_order_on_the_named_thread(int batchSize, int items)
    {
        var seen = new List<int>();
        var threads = new HashSet<string?>();
        int caller = Environment.CurrentManagedThreadId;
        var callerThreads = 0;
        using var work = new BackgroundBatches<int>(i =>
        {
            seen.Add(i);
            threads.Add(Thread.CurrentThread.Name);
            if (Environment.CurrentManagedThreadId == caller || !Thread.CurrentThread.IsBackground)
                callerThreads++;
        }, batchSize, "bb-test");
        for (int i = 0; i < items; i++)
            work.Add(i);
        work.Complete();
        Assert.Equal(Enumerable.Range(0, items), seen);
        Assert.Equal(0, callerThreads);
        if (items > 0)
            Assert.Equal(["bb-test"], threads);
        work.Complete(); // a second call waits for nothing and throws nothing
        Assert.Equal(items, seen.Count);
    }

    [Fact]
    public void The_first_error_is_rethrown_by_Complete_and_later_items_are_not_processed()
    {
        var seen = new List<int>();
        using var work = new BackgroundBatches<int>(i =>
        {
            if (i == 5)
                throw new InvalidDataException("item 5");
            seen.Add(i);
        }, 3, "bb-error");
        for (int i = 0; i < 9; i++)
            work.Add(i);
        var e = Assert.Throws<InvalidDataException>(work.Complete);
        Assert.Equal("item 5", e.Message);
        Assert.Equal([0, 1, 2, 3, 4], seen); // 6, 7, 8 drained unprocessed
        Assert.Same(e, Assert.Throws<InvalidDataException>(work.Complete)); // and again
    }

    [Fact]
    public void A_later_Add_rethrows_the_error_without_blocking()
    {
        int processed = 0;
        var work = new BackgroundBatches<int>(i =>
        {
            processed++;
            throw new FormatException($"bad {i}");
        }, 1, "bb-add");
        // the queue holds 16 batches of one: by the 18th Add the thread has finished the first item, so an Add throws
        Exception? thrown = null;
        int added = 0;
        for (; added < 40 && thrown is null; added++)
        {
            try
            {
                work.Add(added);
            }
            catch (FormatException e)
            {
                thrown = e;
            }
        }
        Assert.NotNull(thrown);
        Assert.Equal("bad 0", thrown!.Message);
        Assert.InRange(added, 2, 19);
        Assert.Equal(1, processed);
        work.Dispose();
    }

    [Fact]
    public void Dispose_lets_the_batch_in_hand_end_and_drops_the_queued_ones()
    {
        using var started = new ManualResetEventSlim();
        using var gate = new ManualResetEventSlim();
        int processed = 0;
        var work = new BackgroundBatches<int>(i =>
        {
            started.Set();
            gate.Wait();
            Interlocked.Increment(ref processed);
        }, 2, "bb-drop");
        for (int i = 0; i < 8; i++)
            work.Add(i); // four whole batches
        Assert.True(started.Wait(TimeSpan.FromSeconds(10))); // the thread holds the first batch
        var disposing = new Thread(work.Dispose);
        disposing.Start();
        // Dispose marks the queued batches to be dropped before it waits for the thread; the first batch goes on after that
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while ((disposing.ThreadState & ThreadState.WaitSleepJoin) == 0 && DateTime.UtcNow < deadline)
            Thread.Sleep(1);
        gate.Set();
        Assert.True(disposing.Join(TimeSpan.FromSeconds(10)));
        Assert.Equal(2, processed); // items 0 and 1; the three queued batches are not processed
    }

    [Fact]
    public void Dispose_without_Complete_stops_the_thread_dropping_the_rest()
    {
        using var gate = new ManualResetEventSlim();
        int processed = 0;
        var work = new BackgroundBatches<int>(i =>
        {
            gate.Wait();
            Interlocked.Increment(ref processed);
        }, 2, "bb-dispose");
        for (int i = 0; i < 9; i++)
            work.Add(i);
        gate.Set();
        work.Dispose(); // returns: the items left in the queue are dropped
        Assert.InRange(processed, 0, 8); // at most the whole batches in flight; never the unqueued ninth
        work.Dispose(); // twice is fine
    }
}
