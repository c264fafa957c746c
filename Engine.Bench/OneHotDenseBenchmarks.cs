using BenchmarkDotNet.Attributes;
using Engine.Initializers;
using Engine.Layers;

namespace Engine.Bench;

/// <summary>
/// Forward + backward (no input gradient: a first layer) of the lookup layer <see cref="OneHotDense{T}"/> against
/// <see cref="Dense{T}"/> over the same rows one-hot expanded beforehand, batch 32, 64 outputs. Layouts shaped
/// like the shared tables: churn (15 numeric + levels [51, 3, 2, 2]), soybean (35 categorical columns, the
/// data set's level counts, 98 one-hot columns) and a wide one (10 numeric + [500, 300, 200]). No GFLOP/s
/// column: the lookup does not perform the dense product's 2·m·n·k. Allocated must read 0 for both.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class OneHotDenseBenchmarks
{
    private const int Batch = 32, Out = 64;

    private static readonly int[] SoybeanLevels =
        [7, 2, 3, 3, 2, 4, 4, 3, 3, 3, 2, 2, 3, 3, 3, 2, 2, 3, 2, 2, 4, 4, 2, 3, 2, 3, 2, 4, 4, 2, 2, 2, 2, 2, 3];

    private OneHotDense<float> _lookup = null!;
    private Dense<float> _dense = null!;
    private Matrix<float> _codes = null!;   // (batch, numeric + categorical)
    private Matrix<float> _oneHot = null!;  // (batch, numeric + Σ levels)
    private Matrix<float> _dy = null!;      // (batch, out)

    [Params("churn", "soybean", "wide")]
    public string Layout { get; set; } = "churn";

    [GlobalSetup]
    public void Setup()
    {
        var (numeric, levels) = Layout switch
        {
            "churn" => (15, new[] { 51, 3, 2, 2 }),
            "soybean" => (0, SoybeanLevels),
            _ => (10, new[] { 500, 300, 200 }),
        };
        _lookup = new OneHotDense<float>(numeric, levels, Out);
        _lookup.ResetParameters(new Rng(1), Activation.ReLU);
        _dense = new Dense<float>(_lookup.InFeatures, Out);
        _lookup.Weight.Value.AsSpan().CopyTo(_dense.Weight.Value.AsSpan());

        var rng = new Rng(2);
        _codes = new Matrix<float>(Batch, numeric + levels.Length);
        _oneHot = new Matrix<float>(Batch, _lookup.InFeatures);
        _dy = new Matrix<float>(Batch, Out);
        for (int r = 0; r < Batch; r++)
        {
            for (int c = 0; c < numeric; c++)
                _codes[r, c] = _oneHot[r, c] = (float)rng.NextNormal();
            int offset = numeric;
            for (int j = 0; j < levels.Length; j++)
            {
                int code = rng.NextInt(levels[j]);
                _codes[r, numeric + j] = code;
                _oneHot[r, offset + code] = 1;
                offset += levels[j];
            }
        }
        for (int i = 0; i < _dy.Length; i++)
            _dy.AsSpan()[i] = (float)rng.NextNormal();
        Dense();  // sizes every buffer
        Lookup();
    }

    [Benchmark(Baseline = true)]
    public Matrix<float> Dense()
    {
        var y = _dense.Forward(_oneHot);
        _dense.Backward(_dy, computeInputGrad: false);
        return y;
    }

    [Benchmark]
    public Matrix<float> Lookup()
    {
        var y = _lookup.Forward(_codes);
        _lookup.Backward(_dy, computeInputGrad: false);
        return y;
    }
}
