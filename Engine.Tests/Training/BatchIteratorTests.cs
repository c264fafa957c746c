using Engine.Data;

namespace Engine.Tests.Training;

public class BatchIteratorTests
{
    private static Dataset Rows(int n)
    {
        var x = new Matrix<float>(n, 1);
        var y = new Matrix<float>(n, 1);
        for (int i = 0; i < n; i++)
            x[i, 0] = y[i, 0] = i;
        return new Dataset(x, y, ["x"], "y", TaskKind.Regression, null, "rows");
    }

    private static List<float[]> Epoch(BatchIterator batches, int epoch, int step = 0)
    {
        var result = new List<float[]>();
        batches.StartEpoch(epoch, step);
        while (batches.Next(out var x, out _))
            result.Add(x.AsSpan().ToArray());
        return result;
    }

    [Fact]
    public void EachEpochsOrderDependsOnlyOnSeedAndEpoch()
    {
        var walked = new BatchIterator(Rows(50), 8, seed: 7);
        var epochs = Enumerable.Range(0, 4).Select(e => Epoch(walked, e)).ToList();
        var fresh = new BatchIterator(Rows(50), 8, seed: 7);
        Assert.Equal(epochs[3], Epoch(fresh, 3));     // straight to epoch 3: same batches as after 0, 1, 2
        Assert.Equal(epochs[1], Epoch(fresh, 1));     // and back again
        Assert.NotEqual(epochs[0], epochs[1]);
        Assert.NotEqual(epochs[0], Epoch(new BatchIterator(Rows(50), 8, seed: 8), 0));
        Assert.Equal(7, epochs[0].Count);
        Assert.Equal(Enumerable.Range(0, 50).Select(i => (float)i), epochs[2].SelectMany(b => b).Order());
    }

    [Fact]
    public void StartingAtAStepGivesTheRestOfTheEpoch()
    {
        var batches = new BatchIterator(Rows(50), 8, seed: 3);
        var whole = Epoch(batches, 2);
        Assert.Equal(whole.Skip(5), Epoch(batches, 2, step: 5));
        Assert.Empty(Epoch(batches, 2, step: 7));
    }

    [Fact]
    public void WithoutSeedKeepsFileOrder()
    {
        var batches = new BatchIterator(Rows(10), 4, seed: null);
        Assert.Equal(Enumerable.Range(0, 10).Select(i => (float)i), Epoch(batches, 5).SelectMany(b => b));
    }

    [Fact]
    public void IteratingAllocatesNothingAfterTheFirstEpoch()
    {
        var batches = new BatchIterator(Rows(100), 16, seed: 1);
        void Run(int epoch)
        {
            batches.StartEpoch(epoch);
            while (batches.Next(out _, out _))
            {
            }
        }
        Run(0);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int e = 1; e < 5; e++)
            Run(e);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
