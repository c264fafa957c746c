namespace Engine.Tests.Data;

/// <summary><see cref="BatchIterator"/>'s counts, its epoch seed formula, where a started epoch begins and its guards.</summary>
public class BatchIteratorStepTests
{
    [Theory]
    [InlineData(103, 10, false, 11)]
    [InlineData(103, 10, true, 10)]
    [InlineData(100, 10, false, 10)]
    [InlineData(100, 10, true, 10)]
    [InlineData(5, 8, false, 1)]
    [InlineData(5, 8, true, 0)]
    [InlineData(1, 1, false, 1)]
    public void StepsPerEpoch_is_the_number_of_batches_Next_returns(int rows, int batch, bool dropLast, int steps)
    {
        var it = new BatchIterator(Datasets.Numbered(rows), batch, 3UL, dropLast);
        Assert.Equal(steps, it.StepsPerEpoch);
        Assert.Equal((batch, dropLast), (it.BatchSize, it.DropLast));
        it.StartEpoch(0);
        int count = 0, seen = 0;
        while (it.Next(out var x, out _))
        {
            count++;
            seen += x.Rows;
        }
        Assert.Equal(steps, count);
        Assert.Equal(dropLast ? steps * batch : rows, seen);
    }

    [Fact]
    public void EpochSeed_is_the_seed_xor_golden_ratio_times_epoch_plus_one()
    {
        Assert.Equal(0x9E3779B97F4A7C15UL, BatchIterator.EpochSeed(0, 0));
        Assert.Equal(0x3C6EF372FE94F82BUL, BatchIterator.EpochSeed(1, 1)); // 2φ mod 2⁶⁴ = 0x3C6EF372FE94F82A
        Assert.Equal(0x9E3779B97F4A7C15UL ^ 0xFFUL, BatchIterator.EpochSeed(0xFF, 0));
        ulong phi = 0x9E3779B97F4A7C15UL;
        Assert.Equal(12345UL ^ unchecked(phi * 10), BatchIterator.EpochSeed(12345, 9));
    }

    [Fact]
    public void Order_is_the_current_epochs_permutation()
    {
        var it = new BatchIterator(Datasets.Numbered(9), 4, seed: 5);
        it.StartEpoch(2);
        int[] expected = [.. Enumerable.Range(0, 9)];
        new Rng(BatchIterator.EpochSeed(5, 2)).Shuffle(expected.AsSpan());
        Assert.Equal(expected, it.Order.ToArray());
        var rows = new List<int>();
        while (it.Next(out var x, out var y))
        {
            for (int i = 0; i < x.Rows; i++)
            {
                rows.Add((int)x[i, 0]);
                Assert.Equal(x[i, 0], y[i, 0]);
            }
        }
        Assert.Equal(expected, rows);
        var plain = new BatchIterator(Datasets.Numbered(9), 4, seed: null);
        plain.StartEpoch(3);
        Assert.Equal(Enumerable.Range(0, 9), plain.Order.ToArray());
    }

    [Fact]
    public void A_step_past_the_end_gives_no_batch_and_the_batches_are_reused()
    {
        var it = new BatchIterator(Datasets.Numbered(20), 6, seed: 1);
        it.StartEpoch(0, step: int.MaxValue); // step × batch size overflows int: still the end of the epoch
        Assert.False(it.Next(out _, out _));
        it.StartEpoch(0, step: 3);
        Assert.True(it.Next(out var x, out var y));
        Assert.Equal(2, x.Rows); // the last two of 20 rows
        Assert.Equal(it.Order[18..].ToArray(), new[] { (int)x[0, 0], (int)x[1, 0] });
        Assert.False(it.Next(out _, out _));

        it.StartEpoch(1);
        Assert.True(it.Next(out var x1, out var y1));
        Assert.True(it.Next(out var x2, out var y2));
        Assert.Same(x1, x2);
        Assert.Same(y1, y2);
        Assert.Equal((6, 2), (x2.Rows, x2.Cols));
        Assert.Equal((6, 1), (y2.Rows, y2.Cols));
        Assert.Equal(it.Order[6..12].ToArray(), Enumerable.Range(0, 6).Select(i => (int)y2[i, 0]));
    }

    [Fact]
    public void Batches_are_the_same_without_prefetching()
    {
        var it = new BatchIterator(Datasets.Classification([0, 1, 2, 1, 0, 2, 1, 1, 0, 2, 0], features: 5), 4, seed: 6);
        float[][] With(bool prefetch)
        {
            var batches = new List<float[]>();
            bool old = BatchIterator.PrefetchNext;
            BatchIterator.PrefetchNext = prefetch;
            try
            {
                it.StartEpoch(1);
                while (it.Next(out var x, out var y))
                    batches.Add([.. x.AsSpan().ToArray(), .. y.AsSpan().ToArray()]);
            }
            finally
            {
                BatchIterator.PrefetchNext = old;
            }
            return [.. batches];
        }
        Assert.Equal(With(true), With(false));
    }

    [Fact]
    public void Guards()
    {
        Assert.Throws<ArgumentNullException>(() => new BatchIterator(null!, 4, null));
        Assert.ThrowsAny<ArgumentException>(() => new BatchIterator(Datasets.Numbered(3), -1, null));
        var it = new BatchIterator(Datasets.Numbered(3), 2, 1UL);
        Assert.Equal("epoch", Assert.Throws<ArgumentOutOfRangeException>(() => it.StartEpoch(-1)).ParamName);
        Assert.Equal("step", Assert.Throws<ArgumentOutOfRangeException>(() => it.StartEpoch(0, -1)).ParamName);
        it.StartEpoch(0, 1); // step 1 of 2: the last row
        Assert.True(it.Next(out var x, out _));
        Assert.Equal(1, x.Rows);
    }
}
