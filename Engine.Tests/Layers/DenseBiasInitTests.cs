namespace Engine.Tests.Layers;

/// <summary>
/// Where a Dense's bias comes from: an explicit bias initializer first, else the weight scheme's implied rule (only
/// torch-default has one: U(±1/√in), in = the layer's inputs, not the bias's own length), else zeros, and a
/// non-finite value from any initializer is refused.
/// </summary>
public class DenseBiasInitTests
{
    private sealed class Poisoned : IInitializer
    {
        public void Initialize(Span<double> weights, InitContext context)
        {
            weights.Fill(0.5);
            weights[^1] = double.NaN;
        }
    }

    [Fact]
    public void AnExplicitBiasInitializerWinsOverTheImpliedOne()
    {
        var withDefault = new Dense<float>(3, 4, biasInitializer: new Constant(0.5));
        withDefault.ResetParameters(new Rng(1), Activation.ReLU);
        Assert.All(withDefault.Bias.Value.AsSpan().ToArray(), b => Assert.Equal(0.5f, b));

        var withTorch = new Dense<float>(3, 4, new TorchDefault(), new Constant(-0.25));
        withTorch.ResetParameters(new Rng(1));
        Assert.All(withTorch.Bias.Value.AsSpan().ToArray(), b => Assert.Equal(-0.25f, b));
    }

    [Fact]
    public void TorchDefaultDrawsTheBiasOverTheLayersInputs()
    {
        // 400 inputs, 2000 outputs: the bias bound is 1/√400 = 0.05 (1/√2000 ≈ 0.022 if its own length were used)
        var dense = new Dense<float>(400, 2000, new TorchDefault());
        dense.ResetParameters(new Rng(2));
        float max = TensorPrimitives.MaxMagnitude<float>(dense.Bias.Value.AsSpan());
        Assert.InRange(max, 0.045f, 0.05f);
    }

    [Fact]
    public void WithoutABiasRuleTheBiasIsResetToZero()
    {
        var dense = new Dense<float>(3, 4);
        dense.Bias.Value.AsSpan().Fill(7);
        dense.ResetParameters(new Rng(3), Activation.Tanh);
        Assert.All(dense.Bias.Value.AsSpan().ToArray(), b => Assert.Equal(0f, b));
        Assert.Throws<ArgumentNullException>(() => dense.ResetParameters(null!));
    }

    [Fact]
    public void ANonFiniteInitialValueIsRefusedNamingTheInitializerAndIndex()
    {
        var weights = new Dense<float>(2, 3, new Poisoned());
        var ex = Assert.Throws<InvalidOperationException>(() => weights.ResetParameters(new Rng(4)));
        Assert.Contains("Initializer Poisoned produced a non-finite value (NaN) at index 5.", ex.Message, StringComparison.Ordinal);
        var bias = new Dense<float>(2, 3, biasInitializer: new Poisoned());
        Assert.Contains("at index 2", Assert.Throws<InvalidOperationException>(() => bias.ResetParameters(new Rng(4))).Message, StringComparison.Ordinal);
    }
}
