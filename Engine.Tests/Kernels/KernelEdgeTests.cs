namespace Engine.Tests.Kernels;

/// <summary>
/// The small kernels at their edges, by hand: one thread is a valid limit, the simple GEMM refuses an op it does
/// not know, column sums name the argument that is too short, and the path choice on this CPU.
/// </summary>
[Collection(KernelThreadsCollection.Name)]
public class KernelEdgeTests
{
    [Fact]
    public void OneThreadIsTheSmallestLimit()
    {
        int before = KernelOptions.MaxThreads;
        try
        {
            KernelOptions.MaxThreads = 1;
            Assert.Equal(1, KernelOptions.MaxThreads);
            var ex = Assert.Throws<ArgumentOutOfRangeException>(() => KernelOptions.MaxThreads = 0);
            Assert.Equal("value", ex.ParamName);
            Assert.Contains("MaxThreads must be at least 1, got 0.", ex.Message, StringComparison.Ordinal);
            Assert.Equal(1, KernelOptions.MaxThreads);
        }
        finally
        {
            KernelOptions.MaxThreads = before;
        }
    }

    [Fact]
    public void SimpleGemmRefusesAnUnknownOp()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => GemmSimple.Run((GemmOp)7, new double[1], new double[1], new double[1], 1, 1, 1, false));
        Assert.Equal("op", ex.ParamName);
        Assert.Contains("Unknown GEMM op.", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DoubleLinearOverwritesWhatTheOutputHeld()
    {
        // y = x·Wᵀ + b with x = [1 2], W = [3 4; 5 6], b = [0.5, −1]: [11.5, 16]; y starts as garbage
        double[] y = [99, -99];
        Gemm.Linear<double>(y, [1, 2], [3, 4, 5, 6], [0.5, -1], 1, 2, 2);
        Assert.Equal([11.5, 16.0], y);
    }

    [Fact]
    public void SimpleGemmComputesEachOpByHand()
    {
        // A = [1 2; 3 4], B = [5 6; 7 8]; C starts at 1 when accumulating
        double[] a = [1, 2, 3, 4], b = [5, 6, 7, 8];
        var c = new double[4];
        GemmSimple.Run(GemmOp.NN, c, a, b, 2, 2, 2, accumulate: false);
        Assert.Equal([19.0, 22, 43, 50], c);
        GemmSimple.Run(GemmOp.NT, c, a, b, 2, 2, 2, accumulate: false);
        Assert.Equal([17.0, 23, 39, 53], c);
        GemmSimple.Run(GemmOp.TN, c, a, b, 2, 2, 2, accumulate: false);
        Assert.Equal([26.0, 30, 38, 44], c);
        c = [1, 1, 1, 1];
        GemmSimple.Run(GemmOp.NN, c, a, b, 2, 2, 2, accumulate: true);
        Assert.Equal([20.0, 23, 44, 51], c);
    }

    [Fact]
    public void ColumnSumsNameTheShortArgument()
    {
        double[] x = [1, 2, 3, 4, 5, 6];
        Assert.Equal("x", Assert.Throws<ArgumentException>(() => Reductions.ColumnSums<double>(new double[3], x.AsSpan(0, 5), 2, 3)).ParamName);
        Assert.Equal("sums", Assert.Throws<ArgumentException>(() => Reductions.ColumnSums<double>(new double[2], x, 2, 3)).ParamName);
        Assert.Equal("m", Assert.Throws<ArgumentOutOfRangeException>(() => Reductions.ColumnSums<double>(new double[3], x, -1, 3)).ParamName);
        Assert.Equal("n", Assert.Throws<ArgumentOutOfRangeException>(() => Reductions.ColumnSums<double>(new double[3], x, 2, -3)).ParamName);
        double[] sums = [10, 20, 30, 40];
        Reductions.ColumnSums<double>(sums, x, 2, 3, accumulate: true);
        Assert.Equal([15.0, 27, 39, 40], sums); // only the first n are touched
        Reductions.ColumnSums<double>(sums, x, 0, 3);
        Assert.Equal([0.0, 0, 0, 40], sums);
    }

    [Fact]
    public void AutoResolvesToTheWidestPathThisCpuHas()
    {
        GemmPath widest = GemmPaths.IsSupported(GemmPath.Vector512) ? GemmPath.Vector512
            : GemmPaths.IsSupported(GemmPath.Vector256) ? GemmPath.Vector256 : GemmPath.Scalar;
        Assert.Equal(widest, GemmPaths.Resolve(GemmPath.Auto));
        Assert.Equal(GemmPath.Scalar, GemmPaths.Resolve(GemmPath.Scalar));
        Assert.True(GemmPaths.IsSupported(GemmPath.Scalar));
        Assert.False(GemmPaths.IsSupported((GemmPath)9));
        if (GemmPaths.IsSupported(GemmPath.Vector256))
            Assert.Equal(GemmPath.Vector256, GemmPaths.Resolve(GemmPath.Vector256));
    }
}
