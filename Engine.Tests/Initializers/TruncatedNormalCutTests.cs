namespace Engine.Tests.Initializers;

/// <summary>
/// TruncatedNormal away from its default ±2σ: the mass check on the cut (against Φ from erfc, not the class's own
/// integral), the bounds it reports, and its argument checks.
/// </summary>
public class TruncatedNormalCutTests
{
    // P(a ≤ Z ≤ b) for Z ~ N(0, 1), from the library's erfc (Kernels), a path independent of TruncatedNormal's Simpson sum.
    private static double Mass(double a, double b) => 0.5 * (SpecialFunctions.Erfc(-b / Math.Sqrt(2)) - SpecialFunctions.Erfc(-a / Math.Sqrt(2)));

    [Theory]
    [InlineData(2.4, 10.0)]  // 0.0082 of the mass
    [InlineData(-10.0, -2.4)]
    [InlineData(2.5, 3.0)]   // 0.0049
    public void ACutHoldingLessThanOnePercentIsRefused(double low, double high)
    {
        Assert.InRange(Mass(low, high), 0.001, 0.0099);
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new TruncatedNormal(lowSigmas: low, highSigmas: high));
        Assert.Equal("lowSigmas", ex.ParamName);
        Assert.Contains(FormattableString.Invariant($"[{low}, {high}]"), ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(2.3, 10.0)]  // 0.0107 of the mass
    [InlineData(-10.0, -2.3)]
    public void ACutHoldingJustOverOnePercentIsAcceptedAndDrawsInsideIt(double low, double high)
    {
        Assert.InRange(Mass(low, high), 0.0101, 0.011);
        var init = new TruncatedNormal(mean: 1, std: 0.5, lowSigmas: low, highSigmas: high);
        Assert.Equal(1 + 0.5 * low, init.Low, 15);
        Assert.Equal(1 + 0.5 * high, init.High, 15);
        var w = Draw.Weights(init, 20, 50);
        Assert.All(w, v => Assert.InRange(v, init.Low, init.High));
    }

    [Fact]
    public void LowAndHighAreTheMeanPlusTheCutsTimesTheDrawStd()
    {
        // corrected: s = σ / c with c the std of N(0, 1) cut to [−1, 3] (0.7849469634044259, the closed form with erf)
        var init = new TruncatedNormal(mean: -0.5, std: 0.2, lowSigmas: -1, highSigmas: 3, correctStd: true);
        double s = 0.2 / 0.7849469634044259;
        Assert.Equal(s, init.DrawStd, 14);
        Assert.Equal(-0.5 - s, init.Low, 14);
        Assert.Equal(-0.5 + 3 * s, init.High, 14);
        var plain = new TruncatedNormal(mean: 2, std: 0.1);
        Assert.Equal(1.8, plain.Low, 15);
        Assert.Equal(2.2, plain.High, 15);
    }

    [Fact]
    public void ToStringNamesTheCutAndTheCorrection()
    {
        Assert.Equal("truncated-normal(mean=0, std=0.05, [-2σ, 2σ])", new TruncatedNormal().ToString());
        Assert.Equal("truncated-normal(mean=0.5, std=1, [-1σ, 3σ], std corrected)",
            new TruncatedNormal(0.5, 1, -1, 3, correctStd: true).ToString());
    }

    [Theory]
    [InlineData(1.0, 1.0)]
    [InlineData(0.0, 0.0)]
    public void EqualCutsAreAnEmptyIntervalNotATooSmallOne(double low, double high)
    {
        var ex = Assert.Throws<ArgumentException>(() => new TruncatedNormal(lowSigmas: low, highSigmas: high));
        Assert.Contains("lowSigmas must be less than highSigmas", ex.Message, StringComparison.Ordinal);
        var std = Assert.Throws<ArgumentException>(() => TruncatedNormal.StandardTruncatedStd(low, high));
        Assert.Equal("a", std.ParamName);
        Assert.Contains("a must be less than b", std.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(double.NaN, -2.0, 2.0, "mean")]
    [InlineData(double.PositiveInfinity, -2.0, 2.0, "mean")]
    [InlineData(0.0, double.NegativeInfinity, 2.0, "lowSigmas")]
    [InlineData(0.0, double.NaN, 2.0, "lowSigmas")]
    [InlineData(0.0, -2.0, double.PositiveInfinity, "highSigmas")]
    [InlineData(0.0, -2.0, double.NaN, "highSigmas")]
    public void NonFiniteMeanOrCutIsRefusedByName(double mean, double low, double high, string parameter)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new TruncatedNormal(mean, 0.1, low, high));
        Assert.Equal(parameter, ex.ParamName);
        Assert.Contains("must be a finite number", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(double.NegativeInfinity, 2.0, "a")]
    [InlineData(double.NaN, 2.0, "a")]
    [InlineData(-2.0, double.PositiveInfinity, "b")]
    [InlineData(-2.0, double.NaN, "b")]
    public void StandardTruncatedStdRefusesNonFiniteCuts(double a, double b, string parameter)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => TruncatedNormal.StandardTruncatedStd(a, b));
        Assert.Equal(parameter, ex.ParamName);
    }
}
