namespace Engine.Tests.Kernels;

public class ReductionTests
{
    [Theory]
    [InlineData(0, 5)]
    [InlineData(1, 1)]
    [InlineData(3, 7)]
    [InlineData(128, 10)]
    [InlineData(17, 33)]
    [InlineData(5, 127)]
    [InlineData(64, 256)]
    public void ColumnSumsMatchTheRowOrderLoopExactly(int m, int n)
    {
        var rng = new Rng((ulong)(m * 1000 + n));
        float[] x = [.. Enumerable.Range(0, m * n).Select(_ => (float)rng.NextNormal())];
        float[] start = [.. Enumerable.Range(0, n).Select(_ => (float)rng.NextNormal())];
        foreach (bool accumulate in new[] { false, true })
        {
            // reference: each column summed in row order, in float, as the kernel promises
            var expected = accumulate ? (float[])start.Clone() : new float[n];
            for (int i = 0; i < m; i++)
            {
                for (int j = 0; j < n; j++)
                    expected[j] += x[i * n + j];
            }
            var sums = (float[])start.Clone();
            Reductions.ColumnSums<float>(sums, x, m, n, accumulate);
            Assert.Equal(expected, sums);
        }
    }

    [Fact]
    public void DoubleColumnSumsAndBadArguments()
    {
        double[] x = [1, 2, 3, 4, 5, 6]; // 2×3
        var sums = new double[3];
        Reductions.ColumnSums<double>(sums, x, 2, 3);
        Assert.Equal([5.0, 7.0, 9.0], sums);
        Assert.Throws<ArgumentException>(() => Reductions.ColumnSums<double>(new double[2], x, 2, 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => Reductions.ColumnSums<double>(sums, x, -1, 3));
    }
}
