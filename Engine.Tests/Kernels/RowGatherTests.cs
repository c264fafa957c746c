namespace Engine.Tests.Kernels;

[Collection(KernelThreadsCollection.Name)]
public class RowGatherTests
{
    // Odd shapes on both sides of the parallel threshold (2^14 floats), repeated and out-of-order indices.
    [Theory]
    [InlineData(1, 1, 1)]
    [InlineData(7, 3, 5)]
    [InlineData(300, 97, 129)]   // 129 × 97 floats: below the threshold, one part
    [InlineData(1000, 785, 128)] // above it: two halves
    [InlineData(513, 1, 64)]
    public void EachRowIsTheIndexedSourceRowOnOneOrTwoThreads(int sourceRows, int cols, int rows)
    {
        var rng = new Random(sourceRows * 31 + cols);
        var source = new Matrix<float>(sourceRows, cols);
        for (int i = 0; i < source.AsSpan().Length; i++)
            source.AsSpan()[i] = (float)rng.NextDouble();
        int[] indices = [.. Enumerable.Range(0, rows).Select(_ => rng.Next(sourceRows))];
        int[] next = [.. Enumerable.Range(0, rows).Select(_ => rng.Next(sourceRows))];
        int before = KernelOptions.MaxThreads;
        try
        {
            foreach (int threads in new[] { 1, 2 })
            {
                KernelOptions.MaxThreads = threads;
                var destination = new Matrix<float>(rows + 2, cols); // larger than needed: the rows past the batch stay
                destination.AsSpan().Fill(-1);
                RowGather.Rows(source, indices, destination, next);
                for (int i = 0; i < rows; i++)
                {
                    for (int j = 0; j < cols; j++)
                        Assert.Equal(source[indices[i], j], destination[i, j]);
                }
                Assert.All(destination.AsSpan()[(rows * cols)..].ToArray(), v => Assert.Equal(-1, v));
            }
        }
        finally
        {
            KernelOptions.MaxThreads = before;
        }
    }

    [Fact]
    public void AnIndexOutsideTheSourceIsRefusedBeforeAnyCopy()
    {
        var source = new Matrix<float>(4, 3);
        var destination = new Matrix<float>(2, 3);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => RowGather.Rows(source, [0, 4], destination, []));
        Assert.Contains("Row index 4", e.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => RowGather.Rows(source, [0], destination, [-1]));
        // The next rows are checked to the same bound: one past the last row is outside.
        var past = Assert.Throws<ArgumentOutOfRangeException>(() => RowGather.Rows(source, [0], destination, [4]));
        Assert.Equal("next", past.ParamName);
        Assert.StartsWith("Row index 4 is outside the 4 rows.", past.Message, StringComparison.Ordinal);
        var tooMany = Assert.Throws<ArgumentException>(() => RowGather.Rows(source, [0, 1, 2], destination, []));
        Assert.StartsWith("Cannot gather 3 rows of 4×3 into 2×3.", tooMany.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => RowGather.Rows(source, [0], new Matrix<float>(1, 2), []));
        Assert.Equal("source", Assert.Throws<ArgumentNullException>(() => RowGather.Rows(null!, [0], destination, [])).ParamName);
        Assert.Equal("destination", Assert.Throws<ArgumentNullException>(() => RowGather.Rows(source, [0], null!, [])).ParamName);
    }
}
