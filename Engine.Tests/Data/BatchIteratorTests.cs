namespace Engine.Tests.Data;

public class BatchIteratorTests
{
    /// <summary>The rows of one epoch, batch by batch (row i is recognised by its feature i), checking x and y agree.</summary>
    private static List<int[]> Epoch(BatchIterator it, int epoch, int step = 0)
    {
        var batches = new List<int[]>();
        it.StartEpoch(epoch, step);
        while (it.Next(out var x, out var y))
        {
            Assert.Equal(x.Rows, y.Rows);
            var rows = new int[x.Rows];
            for (int i = 0; i < x.Rows; i++)
            {
                Assert.Equal(x[i, 0], -x[i, 1]);
                Assert.Equal(x[i, 0], y[i, 0]);
                rows[i] = (int)x[i, 0];
            }
            batches.Add(rows);
        }
        return batches;
    }

    private static List<int> Rows(BatchIterator it, int epoch) => [.. Epoch(it, epoch).SelectMany(b => b)];

    [Fact]
    public void Each_row_once_per_epoch_and_last_batch_smaller()
    {
        var batches = Epoch(new BatchIterator(Datasets.Numbered(103), 10, 1UL), 0);
        Assert.Equal(Enumerable.Range(0, 103), batches.SelectMany(b => b).Order());
        Assert.Equal([.. Enumerable.Repeat(10, 10), 3], batches.Select(b => b.Length));
    }

    [Fact]
    public void DropLast_skips_the_short_batch()
    {
        var batches = Epoch(new BatchIterator(Datasets.Numbered(103), 10, 1UL, dropLast: true), 0);
        Assert.Equal(Enumerable.Repeat(10, 10), batches.Select(b => b.Length));
        Assert.Equal(100, batches.SelectMany(b => b).Distinct().Count());
    }

    [Fact]
    public void Order_changes_between_epochs_and_repeats_for_the_same_seed()
    {
        var a = new BatchIterator(Datasets.Numbered(50), 8, 7UL);
        var b = new BatchIterator(Datasets.Numbered(50), 8, 7UL);
        var c = new BatchIterator(Datasets.Numbered(50), 8, 8UL);
        var a0 = Rows(a, 0);
        var a1 = Rows(a, 1);
        Assert.NotEqual(a0, a1);
        Assert.NotEqual(Enumerable.Range(0, 50), a0);
        Assert.Equal(Enumerable.Range(0, 50), a1.Order());
        Assert.Equal(a0, Rows(b, 0));
        Assert.Equal(a1, Rows(b, 1));
        Assert.NotEqual(a0, Rows(c, 0));
    }

    [Fact]
    public void Each_epochs_order_depends_only_on_seed_and_epoch()
    {
        var walked = new BatchIterator(Datasets.Numbered(50), 8, seed: 7);
        var epochs = Enumerable.Range(0, 4).Select(e => Epoch(walked, e)).ToList();
        var fresh = new BatchIterator(Datasets.Numbered(50), 8, seed: 7);
        Assert.Equal(epochs[3], Epoch(fresh, 3)); // straight to epoch 3: same batches as after 0, 1, 2
        Assert.Equal(epochs[1], Epoch(fresh, 1)); // and back again
        Assert.Equal(7, epochs[0].Count);
        Assert.Equal(Enumerable.Range(0, 50), epochs[2].SelectMany(b => b).Order());
    }

    [Fact]
    public void Epoch_order_is_the_identity_shuffled_by_a_generator_seeded_from_seed_and_epoch()
    {
        // pinned: checkpoints resume by (seed, epoch), so these orders must never change
        var it = new BatchIterator(Datasets.Numbered(12), 12, seed: 7);
        Assert.Equal(PinnedEpoch0, Rows(it, 0));
        Assert.Equal(PinnedEpoch1, Rows(it, 1));
        for (int epoch = 0; epoch < 3; epoch++)
        {
            int[] expected = [.. Enumerable.Range(0, 12)];
            new Rng(BatchIterator.EpochSeed(7, epoch)).Shuffle(expected.AsSpan());
            Assert.Equal(expected, Rows(it, epoch));
        }
    }

    private static readonly int[] PinnedEpoch0 = [6, 5, 4, 10, 11, 7, 3, 8, 2, 0, 9, 1];
    private static readonly int[] PinnedEpoch1 = [1, 2, 11, 3, 10, 0, 9, 6, 4, 5, 7, 8];

    [Fact]
    public void Starting_at_a_step_gives_the_rest_of_the_epoch()
    {
        var it = new BatchIterator(Datasets.Numbered(50), 8, seed: 3);
        var whole = Epoch(it, 2);
        Assert.Equal(whole.Skip(5), Epoch(it, 2, step: 5));
        Assert.Empty(Epoch(it, 2, step: 7));
    }

    [Fact]
    public void No_shuffle_keeps_file_order()
    {
        var it = new BatchIterator(Datasets.Numbered(25), 4, seed: null);
        Assert.Equal(Enumerable.Range(0, 25), Rows(it, 0));
        Assert.Equal(Enumerable.Range(0, 25), Rows(it, 5));
    }

    [Fact]
    public void Next_before_StartEpoch_returns_false()
    {
        var it = new BatchIterator(Datasets.Numbered(5), 2, 1UL);
        Assert.False(it.Next(out _, out _));
    }

    [Fact]
    public void Bad_batch_size_throws()
    {
        Assert.ThrowsAny<ArgumentException>(() => new BatchIterator(Datasets.Numbered(5), 0, null));
    }

    [Fact]
    public void Second_epoch_allocates_nothing()
    {
        var it = new BatchIterator(Datasets.Numbered(1000), 64, 3UL);
        float sum = Drain(it, 0); // warm-up: sizes the batch buffers and JITs the path
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int epoch = 1; epoch < 4; epoch++)
            sum += Drain(it, epoch);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, allocated);
        Assert.Equal(4 * 999 * 1000 / 2f, sum);
    }

    private static float Drain(BatchIterator it, int epoch)
    {
        float sum = 0;
        it.StartEpoch(epoch);
        while (it.Next(out var x, out _))
        {
            for (int i = 0; i < x.Rows; i++)
                sum += x[i, 0];
        }
        return sum;
    }
}
