namespace Engine.Tests.Layers;

/// <summary>
/// The path from a layer to its initializer: a Dense of shape (out, in) must hand He its fan_in = in and the gain of
/// the activation that follows (√(2/(1+a²)) for Leaky ReLU and PReLU with their slope a). The initializer tests check
/// each scheme given a context; these check the context a Dense and <see cref="Mlp.Create{T}"/> build, on non-square
/// layers (where fan_in and fan_out differ, so swapped fans change the spread by √(out/in)). Expected spreads come
/// from the formulas; each sample has ≥ 40,000 weights, whose root-mean-square estimates σ to about 0.35% (1/√(2n)),
/// so a 1.5% band separates ReLU's gain from PReLU's (3% apart) and both from swapped fans (2× or more).
/// </summary>
public class InitializerWiringTests
{
    /// <summary>√(Σw²/n): the standard deviation of weights whose mean is 0.</summary>
    internal static double Rms(ReadOnlySpan<float> w)
    {
        double sum = 0;
        foreach (float v in w)
            sum += (double)v * v;
        return Math.Sqrt(sum / w.Length);
    }

    internal static double HeStd(int fanIn, double slope) => Math.Sqrt(2 / (1 + slope * slope)) / Math.Sqrt(fanIn);

    internal static void AssertSpread(double expected, double actual, double band, string what) =>
        Assert.True(Math.Abs(actual / expected - 1) < band, $"{what}: weight std {actual:G5}, expected {expected:G5} (±{band:P1})");

    [Theory]
    [InlineData(800, 50)]  // fan_in > fan_out: swapped fans would give a std 4× too large
    [InlineData(50, 800)]  // fan_in < fan_out: 4× too small
    public void DenseFollowedByReLUDrawsHeOverItsInputs(int inputs, int outputs)
    {
        var dense = new Dense<float>(inputs, outputs);
        dense.ResetParameters(new Rng(1), Activation.ReLU);
        Assert.Equal((outputs, inputs), (dense.Weight.Value.Rows, dense.Weight.Value.Cols));
        AssertSpread(HeStd(inputs, 0), Rms(dense.Weight.Value.AsSpan()), 0.015, $"Dense({inputs} → {outputs})");
        Assert.All(dense.Bias.Value.AsSpan().ToArray(), b => Assert.Equal(0f, b));
    }

    [Theory]
    [InlineData(Activation.LeakyReLU, 0.5)]
    [InlineData(Activation.PReLU, 0.25)]
    [InlineData(Activation.LeakyReLU, 0.01)]
    public void DenseTakesTheSlopeOfTheRectifierAfterIt(Activation next, double slope)
    {
        var dense = new Dense<float>(1000, 40);
        dense.ResetParameters(new Rng(2), next, slope);
        AssertSpread(HeStd(1000, slope), Rms(dense.Weight.Value.AsSpan()), 0.015, $"{next}({slope})");
    }

    [Theory]
    [InlineData(Activation.ReLU, 0.0)]
    [InlineData(Activation.PReLU, 0.25)]       // PReLU's slope starts at 0.25 whatever negativeSlope says
    [InlineData(Activation.LeakyReLU, 0.5)]
    public void MlpCreateWiresEveryHiddenLayerToItsActivation(Activation activation, double slope)
    {
        // 800 → 50 → 1000 → 3: the first hidden layer narrows, the second widens
        var model = Mlp.Create(800, [50, 1000], 3, activation, seed: 3, negativeSlope: activation == Activation.PReLU ? 0.01 : slope);
        var first = (Dense<float>)model.Layers[0];
        var second = (Dense<float>)model.Layers[2];
        var last = (Dense<float>)model.Layers[4];
        AssertSpread(HeStd(800, slope), Rms(first.Weight.Value.AsSpan()), 0.015, "Dense(800 → 50)");
        AssertSpread(HeStd(50, slope), Rms(second.Weight.Value.AsSpan()), 0.015, "Dense(50 → 1000)");
        // the output layer has no activation after it: Xavier uniform, bound √(6/(fan_in + fan_out)), std bound/√3
        double bound = Math.Sqrt(6.0 / (1000 + 3));
        var w = last.Weight.Value.AsSpan();
        Assert.True(TensorPrimitives.MaxMagnitude(w) <= bound, "the output layer's weights exceed Xavier's bound");
        AssertSpread(bound / Math.Sqrt(3), Rms(w), 0.05, "Dense(1000 → 3)");
    }

    [Fact]
    public void AnExplicitInitializerOverridesTheDefaultWithTheSameContext()
    {
        // He over fan_out, asked for explicitly: std = √2/√out; and Mlp.Create passes it to every layer
        var dense = new Dense<float>(1000, 40, new HeNormal(FanMode.FanOut));
        dense.ResetParameters(new Rng(4), Activation.ReLU);
        AssertSpread(Math.Sqrt(2) / Math.Sqrt(40), Rms(dense.Weight.Value.AsSpan()), 0.015, "He(fan_out)");

        var model = Mlp.Create(1000, [40], 1000, Activation.Tanh, new XavierNormal(), seed: 5);
        double xavier = Math.Sqrt(2.0 / (1000 + 40));
        AssertSpread(xavier, Rms(((Dense<float>)model.Layers[0]).Weight.Value.AsSpan()), 0.015, "Xavier normal, layer 0");
        AssertSpread(xavier, Rms(((Dense<float>)model.Layers[2]).Weight.Value.AsSpan()), 0.015, "Xavier normal, layer 2");
    }

    [Fact]
    public void TheSameSeedGivesTheSameWeightsAndAnotherDoesNot()
    {
        var a = Mlp.Create(30, [20], 4, Activation.PReLU, seed: 8);
        var b = Mlp.Create(30, [20], 4, Activation.PReLU, seed: 8);
        var c = Mlp.Create(30, [20], 4, Activation.PReLU, seed: 9);
        Assert.True(a.Parameters[0].Value.AsSpan().SequenceEqual(b.Parameters[0].Value.AsSpan()));
        Assert.False(a.Parameters[0].Value.AsSpan().SequenceEqual(c.Parameters[0].Value.AsSpan()));
        // the layers draw from one stream: the second layer's weights differ from the first's
        Assert.NotEqual(a.Parameters[0].Value[0, 0], a.Parameters[2].Value[0, 0]);
    }
}
