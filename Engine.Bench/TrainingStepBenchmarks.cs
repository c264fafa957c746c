namespace Engine.Bench;

/// <summary>
/// One full training step (forward, loss, zero grad, backward, SGD step) of the 784-256-128-10 ReLU MLP
/// at batch 128. MemoryDiagnoser's Allocated column must read 0 (no allocation after the first batch).
/// </summary>
[MemoryDiagnoser]
public class TrainingStepBenchmarks
{
    private Sequential<float> _model = null!;
    private SoftmaxCrossEntropy<float> _loss = null!;
    private Sgd<float> _optimizer = null!;
    private Matrix<float> _x = null!;
    private Matrix<float> _y = null!;

    [GlobalSetup]
    public void Setup()
    {
        _model = Mlp.Create(784, [256, 128], 10, Activation.ReLU, seed: 1);
        _loss = new SoftmaxCrossEntropy<float>();
        _optimizer = new Sgd<float>(_model.Parameters, 0.01, momentum: 0.9);
        var rng = new Rng(2);
        _x = new Matrix<float>(128, 784);
        _y = new Matrix<float>(128, 1);
        for (int i = 0; i < _x.Length; i++)
            _x.AsSpan()[i] = (float)rng.NextDouble();
        for (int i = 0; i < 128; i++)
            _y[i, 0] = rng.NextInt(10);
        Step(); // sizes every buffer
    }

    [Benchmark]
    public double Step()
    {
        var logits = _model.Forward(_x);
        double loss = _loss.Forward(logits, _y);
        _optimizer.ZeroGrad();
        _model.Backward(_loss.Backward());
        _optimizer.Step();
        return loss;
    }
}
