namespace Engine.Tests.Initializers;

/// <summary>He, Xavier and LeCun: mean, variance, shape (kurtosis) and bounds against the formulas.</summary>
public class VarianceScalingTests
{
    // fan_out = 600, fan_in = 1500: He fan-in and fan-out differ 2.5×, Xavier's (fan_in + fan_out) differs from
    // either fan alone, and n = 900 000 makes the variance's relative SE √(2/n) ≈ 0.15 %.
    private const int Rows = 600, Cols = 1500, FanIn = Cols, FanOut = Rows;
    private const double NormalKurtosis = 3.0, UniformKurtosis = 1.8;

    /// <summary>Zero mean, the variance std², and the kurtosis of a normal.</summary>
    private static void AssertNormal(double[] w, double std)
    {
        var m = Moments.Of(w);
        Assert.InRange(m.Mean, -m.MeanTolerance(std), m.MeanTolerance(std));
        double variance = std * std, tol = m.VarianceTolerance(variance, NormalKurtosis);
        Assert.InRange(m.Variance, variance - tol, variance + tol);
        Assert.InRange(m.Kurtosis, NormalKurtosis - m.KurtosisTolerance(), NormalKurtosis + m.KurtosisTolerance());
    }

    /// <summary>Zero mean, variance bound²/3, the kurtosis of a uniform, all values in [−bound, bound) and the extremes near it.</summary>
    private static void AssertUniform(double[] w, double bound)
    {
        var m = Moments.Of(w);
        double std = bound / Math.Sqrt(3);
        Assert.InRange(m.Mean, -m.MeanTolerance(std), m.MeanTolerance(std));
        double variance = std * std, tol = m.VarianceTolerance(variance, UniformKurtosis);
        Assert.InRange(m.Variance, variance - tol, variance + tol);
        Assert.InRange(m.Kurtosis, UniformKurtosis - m.KurtosisTolerance(), UniformKurtosis + m.KurtosisTolerance());
        Assert.True(m.Min >= -bound && m.Max < bound, $"values [{m.Min}, {m.Max}] outside ±{bound}");
        double edge = m.EdgeTolerance(2 * bound);
        Assert.InRange(m.Max, bound - edge, bound);
        Assert.InRange(m.Min, -bound, -bound + edge);
    }

    [Fact]
    public void HeNormal_FanIn_HasStdSqrt2OverFanIn()
    {
        var w = Draw.Weights(new HeNormal(), Rows, Cols, Activation.ReLU);
        AssertNormal(w, Math.Sqrt(2.0 / FanIn));
    }

    [Fact]
    public void HeNormal_FanOut_HasStdSqrt2OverFanOut()
    {
        var w = Draw.Weights(new HeNormal(FanMode.FanOut), Rows, Cols, Activation.ReLU);
        AssertNormal(w, Math.Sqrt(2.0 / FanOut));
    }

    [Fact]
    public void HeUniform_FanIn_HasBoundSqrt6OverFanIn()
    {
        var w = Draw.Weights(new HeUniform(), Rows, Cols, Activation.ReLU);
        AssertUniform(w, Math.Sqrt(6.0 / FanIn));
    }

    [Fact]
    public void HeUniform_FanOut_HasBoundSqrt6OverFanOut()
    {
        var w = Draw.Weights(new HeUniform(FanMode.FanOut), Rows, Cols, Activation.ReLU);
        AssertUniform(w, Math.Sqrt(6.0 / FanOut));
    }

    [Theory]
    [InlineData(Activation.LeakyReLU, 0.2)]
    [InlineData(Activation.PReLU, 0.25)]
    public void HeNormal_TakesTheSlopeFromTheContext(Activation activation, double slope)
    {
        // gain² = 2/(1 + a²): 1.923 for a = 0.2, 1.882 for a = 0.25; ReLU's 2 would be 4–6 % off, > 25 SE.
        var w = Draw.Weights(new HeNormal(), Rows, Cols, activation, slope);
        AssertNormal(w, Math.Sqrt(2.0 / (1 + slope * slope) / FanIn));
    }

    [Theory]
    [InlineData(Activation.LeakyReLU, 0.2)]
    [InlineData(Activation.PReLU, 0.25)]
    public void HeUniform_TakesTheSlopeFromTheContext(Activation activation, double slope)
    {
        var w = Draw.Weights(new HeUniform(), Rows, Cols, activation, slope);
        AssertUniform(w, Math.Sqrt(3.0) * Math.Sqrt(2.0 / (1 + slope * slope) / FanIn));
    }

    [Fact]
    public void He_ExplicitSlopeOverridesTheContext()
    {
        var he = new HeNormal(negativeSlope: 0.5);
        Assert.Equal(Math.Sqrt(2.0 / 1.25 / FanIn), he.Std(new InitContext(Rows, Cols, Activation.LeakyReLU, 0.2, new Rng(1))), 15);
        Assert.Equal(Math.Sqrt(2.0 / 1.25 / FanIn), he.Std(new InitContext(Rows, Cols, Activation.ReLU, 0, new Rng(1))), 15);
        var w = Draw.Weights(he, Rows, Cols, Activation.LeakyReLU, 0.2);
        AssertNormal(w, Math.Sqrt(2.0 / 1.25 / FanIn));
    }

    [Theory]
    [InlineData(Activation.ReLU)]
    [InlineData(Activation.Tanh)]
    [InlineData(Activation.Identity)]
    public void He_IgnoresTheContextSlopeUnlessALeakyUnitFollows(Activation activation)
    {
        // A stray slope in the context must not change He's gain for units that have no negative slope.
        var context = new InitContext(Rows, Cols, activation, 0.3, new Rng(1));
        Assert.Equal(Math.Sqrt(2.0 / FanIn), new HeNormal().Std(context), 15);
        Assert.Equal(Math.Sqrt(6.0 / FanIn), new HeUniform().Bound(context), 15);
    }

    [Fact]
    public void XavierNormal_HasStdSqrt2OverFanSum()
    {
        var w = Draw.Weights(new XavierNormal(), Rows, Cols, Activation.Tanh);
        AssertNormal(w, Math.Sqrt(2.0 / (FanIn + FanOut)));
    }

    [Fact]
    public void XavierNormal_ScalesStdByGain()
    {
        var w = Draw.Weights(new XavierNormal(5.0 / 3.0), Rows, Cols, Activation.Tanh);
        AssertNormal(w, 5.0 / 3.0 * Math.Sqrt(2.0 / (FanIn + FanOut)));
    }

    [Fact]
    public void XavierUniform_HasBoundSqrt6OverFanSum()
    {
        var w = Draw.Weights(new XavierUniform(), Rows, Cols, Activation.Tanh);
        AssertUniform(w, Math.Sqrt(6.0 / (FanIn + FanOut)));
    }

    [Fact]
    public void XavierUniform_ScalesBoundByGain()
    {
        var w = Draw.Weights(new XavierUniform(2.0), Rows, Cols, Activation.Tanh);
        AssertUniform(w, 2.0 * Math.Sqrt(6.0 / (FanIn + FanOut)));
    }

    [Fact]
    public void LeCunNormal_HasStdOneOverSqrtFanIn()
    {
        var w = Draw.Weights(new LeCunNormal(), Rows, Cols, Activation.Identity);
        AssertNormal(w, 1.0 / Math.Sqrt(FanIn));
    }

    [Fact]
    public void LeCunUniform_HasBoundSqrt3OverFanIn()
    {
        var w = Draw.Weights(new LeCunUniform(), Rows, Cols, Activation.Identity);
        AssertUniform(w, Math.Sqrt(3.0 / FanIn));
    }

    [Fact]
    public void KurtosisTellsNormalFromUniformOfTheSameVariance()
    {
        // The check the Normal schemes rely on: a uniform with exactly the right variance must fail AssertNormal.
        double std = Math.Sqrt(2.0 / (FanIn + FanOut));
        var uniform = Draw.Weights(new Uniform(-Math.Sqrt(3) * std, Math.Sqrt(3) * std), Rows, Cols);
        Assert.ThrowsAny<Xunit.Sdk.XunitException>(() => AssertNormal(uniform, std));
        var normal = Draw.Weights(new Normal(0, std), Rows, Cols);
        Assert.ThrowsAny<Xunit.Sdk.XunitException>(() => AssertUniform(normal, Math.Sqrt(3) * std));
    }

    [Fact]
    public void WeightsAreNotCorrelatedAlongRowsOrColumns()
    {
        // Elements are drawn independently: the lag-1 correlation along the row-major order is ~N(0, 1/n).
        var w = Draw.Weights(new HeNormal(), Rows, Cols);
        double sum = 0, sumSq = 0;
        for (int i = 0; i + 1 < w.Length; i++)
        {
            sum += w[i] * w[i + 1];
            sumSq += w[i] * w[i];
        }
        double lag1 = sum / sumSq;
        Assert.InRange(lag1, -5 / Math.Sqrt(w.Length), 5 / Math.Sqrt(w.Length));
    }
}
