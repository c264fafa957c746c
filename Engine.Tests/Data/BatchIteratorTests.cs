using System.Runtime.CompilerServices;
using Engine.Data;

namespace Engine.Tests.Data;

public class BatchIteratorTests
{
    // Each iterator's next epoch number, as the trainer counts them.
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<BatchIterator, StrongBox<int>> Epochs = new();

    private static int NextEpoch(BatchIterator it) => Epochs.GetOrCreateValue(it).Value++;

    private static List<int> Epoch(BatchIterator it, List<int>? batchSizes = null)
    {
        var rows = new List<int>();
        it.StartEpoch(NextEpoch(it));
        while (it.Next(out var x, out var y))
        {
            batchSizes?.Add(x.Rows);
            Assert.Equal(x.Rows, y.Rows);
            for (int i = 0; i < x.Rows; i++)
            {
                Assert.Equal(x[i, 0], -x[i, 1]);
                Assert.Equal(x[i, 0], y[i, 0]);
                rows.Add((int)x[i, 0]);
            }
        }
        return rows;
    }

    [Fact]
    public void Each_row_once_per_epoch_and_last_batch_smaller()
    {
        var it = new BatchIterator(Datasets.Numbered(103), 10, 1UL);
        var sizes = new List<int>();
        var rows = Epoch(it, sizes);
        Assert.Equal(Enumerable.Range(0, 103), rows.Order());
        Assert.Equal([.. Enumerable.Repeat(10, 10), 3], sizes);
    }

    [Fact]
    public void DropLast_skips_the_short_batch()
    {
        var it = new BatchIterator(Datasets.Numbered(103), 10, 1UL, dropLast: true);
        var sizes = new List<int>();
        var rows = Epoch(it, sizes);
        Assert.Equal(Enumerable.Repeat(10, 10), sizes);
        Assert.Equal(100, rows.Distinct().Count());
    }

    [Fact]
    public void Order_changes_between_epochs_and_repeats_for_the_same_seed()
    {
        var a = new BatchIterator(Datasets.Numbered(50), 8, 7UL);
        var b = new BatchIterator(Datasets.Numbered(50), 8, 7UL);
        var c = new BatchIterator(Datasets.Numbered(50), 8, 8UL);
        var a1 = Epoch(a);
        var a2 = Epoch(a);
        Assert.NotEqual(a1, a2);
        Assert.NotEqual(Enumerable.Range(0, 50), a1);
        Assert.Equal(Enumerable.Range(0, 50), a2.Order());
        Assert.Equal(a1, Epoch(b));
        Assert.Equal(a2, Epoch(b));
        Assert.NotEqual(a1, Epoch(c));
    }

    [Fact]
    public void No_shuffle_keeps_file_order()
    {
        var it = new BatchIterator(Datasets.Numbered(25), 4, seed: null);
        Assert.Equal(Enumerable.Range(0, 25), Epoch(it));
        Assert.Equal(Enumerable.Range(0, 25), Epoch(it));
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
        float sum = Drain(it); // warm-up: sizes the batch buffers and JITs the path
        long before = GC.GetAllocatedBytesForCurrentThread();
        sum += Drain(it);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, allocated);
        Assert.Equal(2 * 999 * 1000 / 2f, sum);
    }

    private static float Drain(BatchIterator it)
    {
        float sum = 0;
        it.StartEpoch(NextEpoch(it));
        while (it.Next(out var x, out _))
        {
            for (int i = 0; i < x.Rows; i++)
                sum += x[i, 0];
        }
        return sum;
    }
}
