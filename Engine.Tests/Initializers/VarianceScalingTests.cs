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

    /// <summary>
    /// Each scheme with the activation (and slope) in its context, its distribution, and the spread its formula
    /// gives for a (Rows, Cols) weight: the std of a normal scheme, the bound of a uniform one.
    /// </summary>
    private static readonly Dictionary<string, (IInitializer Scheme, Activation Activation, double Slope, bool Uniform, double Spread)> Schemes = new()
    {
        ["he-normal, fan_in"] = (new HeNormal(), Activation.ReLU, 0, false, Math.Sqrt(2.0 / FanIn)),
        ["he-normal, fan_out"] = (new HeNormal(FanMode.FanOut), Activation.ReLU, 0, false, Math.Sqrt(2.0 / FanOut)),
        ["he-uniform, fan_in"] = (new HeUniform(), Activation.ReLU, 0, true, Math.Sqrt(6.0 / FanIn)),
        ["he-uniform, fan_out"] = (new HeUniform(FanMode.FanOut), Activation.ReLU, 0, true, Math.Sqrt(6.0 / FanOut)),
        // He takes the slope from the context: gain² = 2/(1 + a²), 1.923 for a = 0.2, 1.882 for a = 0.25;
        // ReLU's 2 would be 4–6 % off, > 25 SE.
        ["he-normal, leaky-relu 0.2"] = (new HeNormal(), Activation.LeakyReLU, 0.2, false, Math.Sqrt(2.0 / (1 + 0.2 * 0.2) / FanIn)),
        ["he-normal, prelu 0.25"] = (new HeNormal(), Activation.PReLU, 0.25, false, Math.Sqrt(2.0 / (1 + 0.25 * 0.25) / FanIn)),
        ["he-uniform, leaky-relu 0.2"] = (new HeUniform(), Activation.LeakyReLU, 0.2, true, Math.Sqrt(3.0) * Math.Sqrt(2.0 / (1 + 0.2 * 0.2) / FanIn)),
        ["he-uniform, prelu 0.25"] = (new HeUniform(), Activation.PReLU, 0.25, true, Math.Sqrt(3.0) * Math.Sqrt(2.0 / (1 + 0.25 * 0.25) / FanIn)),
        ["xavier-normal"] = (new XavierNormal(), Activation.Tanh, 0, false, Math.Sqrt(2.0 / (FanIn + FanOut))),
        ["xavier-normal, gain 5/3"] = (new XavierNormal(5.0 / 3.0), Activation.Tanh, 0, false, 5.0 / 3.0 * Math.Sqrt(2.0 / (FanIn + FanOut))),
        ["xavier-uniform"] = (new XavierUniform(), Activation.Tanh, 0, true, Math.Sqrt(6.0 / (FanIn + FanOut))),
        ["xavier-uniform, gain 2"] = (new XavierUniform(2.0), Activation.Tanh, 0, true, 2.0 * Math.Sqrt(6.0 / (FanIn + FanOut))),
        ["lecun-normal"] = (new LeCunNormal(), Activation.Identity, 0, false, 1.0 / Math.Sqrt(FanIn)),
        ["lecun-uniform"] = (new LeCunUniform(), Activation.Identity, 0, true, Math.Sqrt(3.0 / FanIn)),
    };

    public static TheoryData<string> SchemeNames => [.. Schemes.Keys];

    [Theory]
    [MemberData(nameof(SchemeNames))]
    public void SchemeHasTheDistributionOfItsFormula(string name)
    {
        var (scheme, activation, slope, uniform, spread) = Schemes[name];
        var w = Draw.Weights(scheme, Rows, Cols, activation, slope);
        if (uniform)
            AssertUniform(w, spread);
        else
            AssertNormal(w, spread);
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

    [Fact]
    public void ToStringNamesTheFanModeAndAFixedSlope()
    {
        Assert.Equal("he-normal(FanIn)", new HeNormal().ToString());
        Assert.Equal("he-uniform(FanOut, a=0.2)", new HeUniform(FanMode.FanOut, 0.2).ToString());
    }
}
