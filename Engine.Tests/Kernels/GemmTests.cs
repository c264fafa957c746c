using System.Numerics;

namespace Engine.Tests.Kernels;

public class GemmTests
{
    private const double Tolerance = 1e-5;

    /// <summary>(m, k, n): empty, tiny, primes, around the micro-tiles (8×32, 6×16, 4×8) and the KC/MC/NC edges.</summary>
    public static readonly (int M, int K, int N)[] Shapes =
    [
        (0, 0, 0), (0, 5, 3), (3, 0, 5), (4, 5, 0), (1, 1, 1), (1, 7, 1), (7, 7, 7), (2, 3, 5),
        (33, 33, 33), (8, 16, 32), (6, 9, 16), (4, 3, 8), (9, 17, 33), (5, 13, 15), (7, 31, 31), (16, 8, 64),
        (13, 127, 97), (127, 33, 7), (31, 37, 41), (17, 255, 29), (24, 256, 48), (11, 257, 35), (3, 513, 67),
        (255, 19, 40), (256, 11, 36), (257, 12, 33), (263, 5, 70), (9, 7, 1023), (10, 6, 1024), (3, 5, 1025),
        (5, 511, 9), (4, 512, 40), (3, 1025, 17), (128, 20, 33), (67, 784, 65), (129, 300, 1037),
    ];

    // Paths travel as names: GemmPath is internal and xunit theories must be public. Only the paths this CPU
    // has become cases; each path it lacks shows up as a skipped test below, never as a silent pass.
    private static IEnumerable<string> SupportedPaths() =>
        new[] { GemmPath.Vector512, GemmPath.Vector256, GemmPath.Scalar }.Where(GemmPaths.IsSupported).Select(p => p.ToString());

    public static TheoryData<string, GemmOp> PathsAndOps()
    {
        var data = new TheoryData<string, GemmOp>();
        foreach (string path in SupportedPaths())
        {
            foreach (GemmOp op in Enum.GetValues<GemmOp>())
                data.Add(path, op);
        }
        return data;
    }

    public static TheoryData<string> Paths() => [.. SupportedPaths()];

    [GemmPathFact(nameof(GemmPath.Vector512))]
    public void Vector512PathIsTestedOnThisCpu() => Assert.Contains("Vector512", SupportedPaths());

    [GemmPathFact(nameof(GemmPath.Vector256))]
    public void Vector256PathIsTestedOnThisCpu() => Assert.Contains("Vector256", SupportedPaths());

    [Theory]
    [MemberData(nameof(PathsAndOps))]
    public void EveryPathMatchesTheReference(string pathName, GemmOp op)
    {
        GemmPath path = Enum.Parse<GemmPath>(pathName);
        var rng = new Rng(1234);
        foreach ((int m, int k, int n) in Shapes)
        {
            foreach (bool accumulate in new[] { false, true })
            {
                foreach (int threads in new[] { 1, 2 })
                {
                    Case t = Case.Random(rng, op, m, k, n);
                    GemmPacked.Run(path, threads, op, t.C, t.A, t.B, [], m, k, n, accumulate);
                    t.AssertMatchesReference(accumulate, $"{path} {op} m={m} k={k} n={n} accumulate={accumulate} threads={threads}");
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public void LinearAddsTheBiasOnEveryPath(string pathName)
    {
        GemmPath path = Enum.Parse<GemmPath>(pathName);
        var rng = new Rng(99);
        foreach ((int m, int k, int n) in Shapes)
        {
            Case t = Case.Random(rng, GemmOp.NT, m, k, n);
            float[] bias = Case.RandomFloats(rng, n);
            GemmPacked.Run(path, 2, GemmOp.NT, t.C, t.A, t.B, bias, m, k, n, accumulate: false);
            t.AssertMatchesReference(accumulate: false, $"{path} Linear m={m} k={k} n={n}", bias);
        }
    }

    public static TheoryData<GemmOp> Ops() => [.. Enum.GetValues<GemmOp>()];

    [Theory]
    [MemberData(nameof(Ops))]
    public void PublicApiMatchesTheReference(GemmOp op) => CheckPublicMatMul<float>(op, seed: 7, Tolerance);

    [Theory]
    [MemberData(nameof(Ops))]
    public void DoublePathMatchesTheReference(GemmOp op) => CheckPublicMatMul<double>(op, seed: 11, 1e-12);

    /// <summary>
    /// The public entry for <paramref name="op"/> over <typeparamref name="T"/>, on a random case of every shape with
    /// and without accumulation, against the reference.
    /// </summary>
    private static void CheckPublicMatMul<T>(GemmOp op, ulong seed, double tolerance) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var rng = new Rng(seed);
        foreach ((int m, int k, int n) in Shapes)
        {
            foreach (bool accumulate in new[] { false, true })
            {
                Case t = Case.Random(rng, op, m, k, n);
                T[] c = Array.ConvertAll(t.C, x => T.CreateChecked(x));
                T[] a = Array.ConvertAll(t.A, x => T.CreateChecked(x)), b = Array.ConvertAll(t.B, x => T.CreateChecked(x));
                switch (op)
                {
                    case GemmOp.NN: Gemm.MatMul<T>(c, a, b, m, k, n, accumulate); break;
                    case GemmOp.NT: Gemm.MatMulTransB<T>(c, a, b, m, k, n, accumulate); break;
                    default: Gemm.MatMulTransA<T>(c, a, b, m, k, n, accumulate); break;
                }
                t.AssertMatchesReference(accumulate, $"{typeof(T).Name} {op} m={m} k={k} n={n} accumulate={accumulate}",
                    bias: null, Array.ConvertAll(c, x => double.CreateChecked(x)), tolerance);
            }
        }
    }

    [Fact]
    public void PublicLinearMatchesTheReference()
    {
        var rng = new Rng(8);
        foreach ((int m, int k, int n) in Shapes)
        {
            Case t = Case.Random(rng, GemmOp.NT, m, k, n);
            float[] bias = Case.RandomFloats(rng, n);
            Gemm.Linear<float>(t.C, t.A, t.B, bias, m, k, n);
            t.AssertMatchesReference(accumulate: false, $"Linear m={m} k={k} n={n}", bias);
        }
    }

    [Fact]
    public void DoubleLinearMatchesTheReference()
    {
        var rng = new Rng(12);
        (int m, int k, int n) = (13, 37, 29);
        Case t = Case.Random(rng, GemmOp.NT, m, k, n);
        float[] bias = Case.RandomFloats(rng, n);
        double[] y = new double[m * n];
        Gemm.Linear<double>(y, Array.ConvertAll(t.A, x => (double)x), Array.ConvertAll(t.B, x => (double)x),
            Array.ConvertAll(bias, x => (double)x), m, k, n);
        t.AssertMatchesReference(accumulate: false, "double Linear", bias, y, 1e-12);
    }

    [Theory]
    [MemberData(nameof(PathsAndOps))]
    public void OneAndManyThreadsAreBitIdentical(string pathName, GemmOp op)
    {
        GemmPath path = Enum.Parse<GemmPath>(pathName);
        var rng = new Rng(5);
        // Wide (split by columns), tall (split by rows) and deep (several k-blocks) shapes.
        foreach ((int m, int k, int n) in new[] { (301, 517, 700), (1000, 300, 20), (70, 1100, 90) })
        {
            Case t = Case.Random(rng, op, m, k, n);
            float[] bias = Case.RandomFloats(rng, n);
            float[] one = (float[])t.C.Clone(), two = (float[])t.C.Clone(), three = (float[])t.C.Clone();
            GemmPacked.Run(path, 1, op, one, t.A, t.B, [], m, k, n, accumulate: true);
            GemmPacked.Run(path, 2, op, two, t.A, t.B, [], m, k, n, accumulate: true);
            GemmPacked.Run(path, 3, op, three, t.A, t.B, [], m, k, n, accumulate: true);
            Assert.Equal(one, two);
            Assert.Equal(one, three);
            t.AssertMatchesReference(accumulate: true, $"{path} {op} {m}×{k}×{n}", bias: null, Array.ConvertAll(two, x => (double)x), Tolerance);

            GemmPacked.Run(path, 1, op, one, t.A, t.B, bias, m, k, n, accumulate: false);
            GemmPacked.Run(path, 2, op, two, t.A, t.B, bias, m, k, n, accumulate: false);
            Assert.Equal(one, two);
        }
    }

    [Theory]
    [MemberData(nameof(PathsAndOps))]
    public void AnyNumberOfPartsPerThreadGivesTheSameBits(string pathName, GemmOp op)
    {
        GemmPath path = Enum.Parse<GemmPath>(pathName);
        var rng = new Rng(6);
        int saved = GemmPacked.PartsPerThread;
        try
        {
            foreach ((int m, int k, int n) in new[] { (301, 517, 700), (1000, 300, 20), (70, 1100, 90), (128, 784, 256) })
            {
                Case t = Case.Random(rng, op, m, k, n);
                float[] one = (float[])t.C.Clone();
                GemmPacked.Run(path, 1, op, one, t.A, t.B, [], m, k, n, accumulate: true);
                t.AssertMatchesReference(accumulate: true, $"{path} {op} {m}×{k}×{n}", bias: null, Array.ConvertAll(one, x => (double)x), Tolerance);
                foreach (int partsPerThread in new[] { 1, 2, 3, 7 })
                {
                    GemmPacked.PartsPerThread = partsPerThread;
                    float[] many = (float[])t.C.Clone();
                    GemmPacked.Run(path, 2, op, many, t.A, t.B, [], m, k, n, accumulate: true);
                    Assert.Equal(one, many);
                }
                GemmPacked.PartsPerThread = saved;
            }
        }
        finally
        {
            GemmPacked.PartsPerThread = saved;
        }
    }

    [Fact]
    public void SteadyStateCallsDoNotAllocate()
    {
        var rng = new Rng(3);
        // Other tests may hold the worker pool during the warm-up below (then the caller runs every part
        // itself); start the workers now so that a later call cannot be the one that creates them.
        GemmWorkers.Prestart(1);
        foreach (GemmOp op in Enum.GetValues<GemmOp>())
        {
            (int m, int k, int n) = (97, 300, 130);
            Case t = Case.Random(rng, op, m, k, n);
            float[] bias = Case.RandomFloats(rng, n);
            foreach (int threads in new[] { 1, 2 })
            {
                GemmPacked.Run(GemmPath.Auto, threads, op, t.C, t.A, t.B, [], m, k, n, accumulate: false); // warm-up
                GemmPacked.Run(GemmPath.Auto, threads, op, t.C, t.A, t.B, bias, m, k, n, accumulate: false);
                // When other tests hold the worker pool, this thread takes another path (it runs every part
                // itself, or blocks on an event for the first time) whose one-time lazy set-up may allocate
                // once; steady state must not allocate, so one clean window out of three is required.
                var windows = new long[3];
                for (int w = 0; w < windows.Length; w++)
                {
                    long before = GC.GetAllocatedBytesForCurrentThread();
                    for (int i = 0; i < 5; i++)
                    {
                        GemmPacked.Run(GemmPath.Auto, threads, op, t.C, t.A, t.B, [], m, k, n, accumulate: true);
                        GemmPacked.Run(GemmPath.Auto, threads, op, t.C, t.A, t.B, bias, m, k, n, accumulate: false);
                    }
                    windows[w] = GC.GetAllocatedBytesForCurrentThread() - before;
                    if (windows[w] == 0)
                        break;
                }
                Assert.True(windows.Contains(0), $"{op}, {threads} threads: every window allocated ({string.Join(", ", windows)} bytes)");
            }
        }
    }

    [Fact]
    public void BadArgumentsThrowWithClearMessages()
    {
        float[] a = new float[6], b = new float[12], c = new float[8], bias = new float[4];
        var e1 = Assert.Throws<ArgumentOutOfRangeException>(() => Gemm.MatMul<float>(c, a, b, -1, 3, 4));
        Assert.Contains("m=-1", e1.Message, StringComparison.Ordinal);
        var e2 = Assert.Throws<ArgumentOutOfRangeException>(() => Gemm.MatMulTransB<float>(c, a, b, 2, -3, 4));
        Assert.Contains("k=-3", e2.Message, StringComparison.Ordinal);
        var e3 = Assert.Throws<ArgumentOutOfRangeException>(() => Gemm.MatMulTransA<float>(c, a, b, 2, 3, -4));
        Assert.Contains("n=-4", e3.Message, StringComparison.Ordinal);

        var e4 = Assert.Throws<ArgumentException>(() => Gemm.MatMul<float>(c, a.AsSpan(0, 5), b, 2, 3, 4));
        Assert.Equal("a", e4.ParamName);
        Assert.Contains("5 elements but 6", e4.Message, StringComparison.Ordinal);
        var e5 = Assert.Throws<ArgumentException>(() => Gemm.MatMulTransB<float>(c, a, b.AsSpan(0, 11), 2, 3, 4));
        Assert.Equal("b", e5.ParamName);
        var e6 = Assert.Throws<ArgumentException>(() => Gemm.MatMulTransA<float>(c.AsSpan(0, 7), a, b, 2, 3, 4));
        Assert.Equal("c", e6.ParamName);
        var e7 = Assert.Throws<ArgumentException>(() => Gemm.Linear<float>(c, a, b, bias.AsSpan(0, 3), 2, 3, 4));
        Assert.Equal("bias", e7.ParamName);
        var e8 = Assert.Throws<ArgumentException>(() => Gemm.Linear<double>(new double[8], new double[6], new double[12], new double[3], 2, 3, 4));
        Assert.Equal("bias", e8.ParamName);
    }

    [Fact]
    public void PackedEntryChecksItsArgumentsToo()
    {
        float[] x = new float[12];
        Assert.Equal("c", Assert.Throws<ArgumentException>(() => GemmPacked.Run(GemmPath.Auto, 1, GemmOp.NN, x.AsSpan(0, 5), x, x, [], 2, 3, 3, false)).ParamName);
        Assert.Equal("b", Assert.Throws<ArgumentException>(() => GemmPacked.Run(GemmPath.Auto, 1, GemmOp.NT, x, x, x.AsSpan(0, 8), [], 2, 3, 3, false)).ParamName);
        Assert.Equal("bias", Assert.Throws<ArgumentException>(() => GemmPacked.Run(GemmPath.Auto, 1, GemmOp.NT, x, x, x, x.AsSpan(0, 2), 2, 3, 3, false)).ParamName);
        Assert.Equal("k", Assert.Throws<ArgumentOutOfRangeException>(() => GemmPacked.Run(GemmPath.Auto, 1, GemmOp.TN, x, x, x, [], 2, -3, 3, false)).ParamName);
        Assert.Equal("maxThreads", Assert.Throws<ArgumentOutOfRangeException>(() => GemmPacked.Run(GemmPath.Auto, 0, GemmOp.NN, x, x, x, [], 2, 3, 3, false)).ParamName);
    }

    [Fact]
    public void UnsupportedForcedPathFailsClearly()
    {
        foreach (GemmPath path in new[] { GemmPath.Vector512, GemmPath.Vector256 })
        {
            if (GemmPaths.IsSupported(path))
                continue;
            var e = Assert.Throws<PlatformNotSupportedException>(
                () => GemmPacked.Run(path, 1, GemmOp.NN, new float[1], new float[1], new float[1], [], 1, 1, 1, false));
            Assert.Contains(path.ToString(), e.Message, StringComparison.Ordinal);
        }
        Assert.NotEqual(GemmPath.Auto, GemmPaths.Resolve(GemmPath.Auto));
    }

    /// <summary>Random operands for one product, the initial C, and the double reference check.</summary>
    private sealed class Case
    {
        public required GemmOp Op { get; init; }
        public required int M { get; init; }
        public required int K { get; init; }
        public required int N { get; init; }
        public required float[] A { get; init; }
        public required float[] B { get; init; }
        public required float[] C { get; init; }
        public required float[] C0 { get; init; }

        public static float[] RandomFloats(Rng rng, int length)
        {
            var x = new float[length];
            for (int i = 0; i < length; i++)
                x[i] = (float)(2 * rng.NextDouble() - 1);
            return x;
        }

        public static Case Random(Rng rng, GemmOp op, int m, int k, int n)
        {
            float[] c = RandomFloats(rng, m * n);
            return new Case
            {
                Op = op, M = m, K = k, N = n,
                A = RandomFloats(rng, m * k), B = RandomFloats(rng, k * n), C = c, C0 = (float[])c.Clone(),
            };
        }

        /// <summary>
        /// |got − ref| ≤ tol·(Σp |a||b| + |c0| + |bias|) per element, the scale of the terms summed
        /// (TensorPrimitives' tests bound errors the same way).
        /// </summary>
        public void AssertMatchesReference(bool accumulate, string what, float[]? bias = null, double[]? got = null, double tolerance = Tolerance)
        {
            int m = M, n = N;
            double[] expected = new double[m * n], scale = new double[m * n];
            for (int i = 0; i < m; i++)
            {
                for (int j = 0; j < n; j++)
                {
                    double init = accumulate ? C0[i * n + j] : bias != null ? bias[j] : 0;
                    expected[i * n + j] = init;
                    scale[i * n + j] = Math.Abs(init);
                }
            }
            GemmReference.Run(Op, expected, A, B, m, K, n, accumulate: true);
            GemmReference.Run(Op, scale, Array.ConvertAll(A, Math.Abs), Array.ConvertAll(B, Math.Abs), m, K, n, accumulate: true);
            got ??= Array.ConvertAll(C, x => (double)x);
            for (int e = 0; e < m * n; e++)
            {
                double error = Math.Abs(got[e] - expected[e]);
                if (!(error <= tolerance * scale[e] + 1e-30))
                    Assert.Fail($"{what}: C[{e / n},{e % n}] = {got[e]} but the reference is {expected[e]} (error {error:E2}, allowed {tolerance * scale[e]:E2}).");
            }
        }
    }
}
