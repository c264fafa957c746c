namespace Engine.Tests.Initializers;

/// <summary>
/// The schemes that reproduce another framework's default draw: PyTorch's nn.Linear (torch-default) and Keras'
/// he_normal (he-truncated-normal), checked against their formulas at 5 standard errors as the other schemes are.
/// </summary>
public class FrameworkParityTests
{
    private const int Rows = 600, Cols = 1500, FanIn = Cols;

    [Fact]
    public void TorchDefault_WeightsAreUniformPlusMinusOneOverRootFanIn()
    {
        // kaiming_uniform_(a = √5): gain √(2/6), bound √3·gain/√fan_in = 1/√fan_in; the activation does not matter.
        double bound = 1 / Math.Sqrt(FanIn);
        foreach (var activation in new[] { Activation.ReLU, Activation.Tanh })
        {
            var m = Moments.Of(Draw.Weights(new TorchDefault(), Rows, Cols, activation));
            double std = bound / Math.Sqrt(3);
            Assert.InRange(m.Mean, -m.MeanTolerance(std), m.MeanTolerance(std));
            double tol = m.VarianceTolerance(std * std, 1.8);
            Assert.InRange(m.Variance, std * std - tol, std * std + tol);
            Assert.InRange(m.Kurtosis, 1.8 - m.KurtosisTolerance(), 1.8 + m.KurtosisTolerance());
            Assert.True(m.Min >= -bound && m.Max < bound, $"values [{m.Min}, {m.Max}] outside ±{bound}");
            Assert.InRange(m.Max, bound - m.EdgeTolerance(2 * bound), bound);
        }
        // The same bound as He uniform with slope √5, which is how torch writes it.
        var context = new InitContext(Rows, Cols, Activation.ReLU, 0, new Rng(1));
        Assert.Equal(new HeUniform(negativeSlope: Math.Sqrt(5)).Bound(context), TorchDefault.Bound(context), 14);
    }

    [Fact]
    public void TorchDefault_BiasIsUniformOverTheLayersFanIn()
    {
        // A Dense(1500 → 600) draws its 600 biases from U(±1/√1500), not U(±1/√600): the bias needs the layer's fan_in.
        // 200 layers give 120 000 biases, enough for 5-SE bounds on the variance.
        var biases = new List<double>();
        for (ulong seed = 1; seed <= 200; seed++)
        {
            var dense = new Dense<double>(Cols, Rows, new TorchDefault());
            dense.ResetParameters(new Rng(seed), Activation.ReLU);
            biases.AddRange(dense.Bias.Value.AsSpan().ToArray());
        }
        double bound = 1 / Math.Sqrt(FanIn), std = bound / Math.Sqrt(3);
        var m = Moments.Of(biases.ToArray());
        Assert.True(m.Min >= -bound && m.Max < bound, $"biases [{m.Min}, {m.Max}] outside ±{bound}");
        Assert.InRange(m.Mean, -m.MeanTolerance(std), m.MeanTolerance(std));
        double tol = m.VarianceTolerance(std * std, 1.8);
        Assert.InRange(m.Variance, std * std - tol, std * std + tol);

        // An explicit bias initializer still wins; other weight schemes keep zero biases.
        var zeroBias = new Dense<double>(Cols, Rows, new TorchDefault(), new Zeros());
        zeroBias.ResetParameters(new Rng(1));
        Assert.All(zeroBias.Bias.Value.AsSpan().ToArray(), b => Assert.Equal(0.0, b));
        var he = new Dense<double>(Cols, Rows, new HeNormal());
        he.ResetParameters(new Rng(1));
        Assert.All(he.Bias.Value.AsSpan().ToArray(), b => Assert.Equal(0.0, b));
    }

    [Theory]
    [InlineData(Activation.ReLU, 0.0)]
    [InlineData(Activation.PReLU, 0.25)]
    public void HeTruncatedNormal_HasHesStdAndIsCutAtTwoDrawSigmas(Activation activation, double slope)
    {
        // Keras he_normal: std = gain/√fan_in exactly, drawn as a normal of std s = std/0.8796 cut at ±2s.
        double std = Math.Sqrt(2.0 / (1 + slope * slope) / FanIn);
        var init = new HeTruncatedNormal();
        var m = Moments.Of(Draw.Weights(init, Rows, Cols, activation, slope));
        Assert.InRange(m.Mean, -m.MeanTolerance(std), m.MeanTolerance(std));
        double tol = m.VarianceTolerance(std * std, 3); // kurtosis 3 bounds the truncated law's (2.36)
        Assert.InRange(m.Variance, std * std - tol, std * std + tol);
        double cut = 2 * std / TruncatedNormal.StdOfStandardTruncatedTo2Sigmas;
        Assert.Equal(cut, init.Bound(new InitContext(Rows, Cols, activation, slope, new Rng(1))), 14);
        Assert.True(m.Min >= -cut && m.Max <= cut, $"values [{m.Min}, {m.Max}] outside ±{cut}");
        Assert.True(m.Max > 0.99 * cut && m.Min < -0.99 * cut, "the cut is not reached");
        // Kurtosis of the standard normal truncated to [−2, 2] is 2.3655 (numerically integrated): neither normal (3) nor uniform (1.8).
        Assert.InRange(m.Kurtosis, 2.3655 - m.KurtosisTolerance(), 2.3655 + m.KurtosisTolerance());
    }
}
