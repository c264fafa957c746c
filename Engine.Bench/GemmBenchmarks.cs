namespace Engine.Bench;

/// <summary>
/// The packed float GEMM in its three ops at the sizes an MLP meets (128×784×256 is a first MNIST
/// layer's forward on a batch of 128), on one thread and on all cores.
/// Run: dotnet run -c Release --project Engine.Bench -- --filter '*Gemm*' --job short
/// </summary>
[MemoryDiagnoser]
[Config(typeof(GflopsConfig))]
public class GemmBenchmarks
{
    private float[] _a = [], _b = [], _c = [];

    public static IEnumerable<GemmShape> Shapes =>
        [new(128, 784, 256), new(256, 256, 256), new(512, 512, 512), new(1024, 1024, 1024)];

    public static IEnumerable<int> ThreadCounts => Environment.ProcessorCount > 1 ? [1, Environment.ProcessorCount] : [1];

    [ParamsSource(nameof(Shapes))]
    public GemmShape Shape { get; set; }

    [Params(GemmOp.NN, GemmOp.NT, GemmOp.TN)]
    public GemmOp Op { get; set; }

    [ParamsSource(nameof(ThreadCounts))]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        KernelOptions.MaxThreads = Threads;
        var rng = new Rng(1);
        _a = Random(rng, Shape.M * Shape.K);
        _b = Random(rng, Shape.K * Shape.N);
        _c = new float[Shape.M * Shape.N];
    }

    [Benchmark]
    public void Gemm()
    {
        (int m, int k, int n) = (Shape.M, Shape.K, Shape.N);
        switch (Op)
        {
            case GemmOp.NN: Kernels.Gemm.MatMul<float>(_c, _a, _b, m, k, n); break;
            case GemmOp.NT: Kernels.Gemm.MatMulTransB<float>(_c, _a, _b, m, k, n); break;
            default: Kernels.Gemm.MatMulTransA<float>(_c, _a, _b, m, k, n); break;
        }
    }

    internal static float[] Random(Rng rng, int length)
    {
        var x = new float[length];
        for (int i = 0; i < length; i++)
            x[i] = (float)(2 * rng.NextDouble() - 1);
        return x;
    }
}

/// <summary>The packed kernel against the simple TensorPrimitives loop it replaced, one thread, 256³ NN.</summary>
[MemoryDiagnoser]
[Config(typeof(GflopsConfig))]
public class GemmBaselineBenchmarks
{
    private float[] _a = [], _b = [], _c = [];

    public static IEnumerable<GemmShape> Shapes => [new(256, 256, 256)];

    [ParamsSource(nameof(Shapes))]
    public GemmShape Shape { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        KernelOptions.MaxThreads = 1;
        var rng = new Rng(2);
        _a = GemmBenchmarks.Random(rng, Shape.M * Shape.K);
        _b = GemmBenchmarks.Random(rng, Shape.K * Shape.N);
        _c = new float[Shape.M * Shape.N];
    }

    [Benchmark(Baseline = true)]
    public void Simple() => GemmSimple.Run<float>(GemmOp.NN, _c, _a, _b, Shape.M, Shape.K, Shape.N, accumulate: false);

    [Benchmark]
    public void Packed() => Gemm.MatMul<float>(_c, _a, _b, Shape.M, Shape.K, Shape.N);

    [Benchmark]
    public void Linear() => Gemm.Linear<float>(_c, _a, _b, _b.AsSpan(0, Shape.N), Shape.M, Shape.K, Shape.N);
}
