namespace Engine.Bench;

/// <summary>Activation forward and backward over 1M floats (1024 rows × 1024 units).</summary>
[MemoryDiagnoser]
public class ActivationBenchmarks
{
    private Matrix<float> _x = null!;
    private Matrix<float> _dy = null!;
    private Layer<float> _layer = null!;

    [Params("ReLU", "LeakyReLU", "PReLU", "Sigmoid", "Tanh")]
    public string Activation { get; set; } = "ReLU";

    [GlobalSetup]
    public void Setup()
    {
        var rng = new Rng(1);
        _x = new Matrix<float>(1024, 1024);
        _dy = new Matrix<float>(1024, 1024);
        for (int i = 0; i < _x.Length; i++)
        {
            _x.AsSpan()[i] = (float)rng.NextNormal();
            _dy.AsSpan()[i] = (float)rng.NextNormal();
        }
        _layer = Activation switch
        {
            "ReLU" => new ReLU<float>(),
            "LeakyReLU" => new LeakyReLU<float>(0.01),
            "PReLU" => new PReLU<float>(1024),
            "Sigmoid" => new Sigmoid<float>(),
            _ => new Tanh<float>(),
        };
        _layer.Forward(_x);
        _layer.Backward(_dy);
    }

    [Benchmark]
    public Matrix<float> Forward() => _layer.Forward(_x);

    [Benchmark]
    public Matrix<float>? Backward() => _layer.Backward(_dy);
}
