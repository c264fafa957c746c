namespace Engine.Tests.Initializers;

/// <summary>Uniform, Normal, TruncatedNormal, Zeros and Constant.</summary>
public class PlainDistributionTests
{
    private const int Rows = 1000, Cols = 1000;

    [Fact]
    public void Uniform_DefaultsToPlusMinus005()
    {
        var w = Draw.Weights(new Uniform(), Rows, Cols);
        var m = Moments.Of(w);
        Assert.True(m.Min >= -0.05 && m.Max < 0.05, $"values [{m.Min}, {m.Max}] outside [-0.05, 0.05)");
        Assert.InRange(m.Max, 0.05 - m.EdgeTolerance(0.1), 0.05);
        Assert.InRange(m.Min, -0.05, -0.05 + m.EdgeTolerance(0.1));
        double variance = 0.1 * 0.1 / 12, tol = m.VarianceTolerance(variance, 1.8);
        Assert.InRange(m.Variance, variance - tol, variance + tol);
    }

    [Fact]
    public void Uniform_AsymmetricRangeHasItsMidpointAsMean()
    {
        var w = Draw.Weights(new Uniform(1.0, 3.0), Rows, Cols);
        var m = Moments.Of(w);
        double std = 2.0 / Math.Sqrt(12);
        Assert.InRange(m.Mean, 2.0 - m.MeanTolerance(std), 2.0 + m.MeanTolerance(std));
        Assert.True(m.Min >= 1.0 && m.Max < 3.0);
        Assert.InRange(m.Kurtosis, 1.8 - m.KurtosisTolerance(), 1.8 + m.KurtosisTolerance());
    }

    [Fact]
    public void Normal_HasTheGivenMeanAndStd()
    {
        var w = Draw.Weights(new Normal(0.5, 0.1), Rows, Cols);
        var m = Moments.Of(w);
        Assert.InRange(m.Mean, 0.5 - m.MeanTolerance(0.1), 0.5 + m.MeanTolerance(0.1));
        double tol = m.VarianceTolerance(0.01, 3);
        Assert.InRange(m.Variance, 0.01 - tol, 0.01 + tol);
        Assert.InRange(m.Kurtosis, 3 - m.KurtosisTolerance(), 3 + m.KurtosisTolerance());
    }

    [Fact]
    public void Normal_DefaultStdIs005()
    {
        var m = Moments.Of(Draw.Weights(new Normal(), Rows, Cols));
        double tol = m.VarianceTolerance(0.0025, 3);
        Assert.InRange(m.Variance, 0.0025 - tol, 0.0025 + tol);
    }

    [Fact]
    public void StandardTruncatedStd_MatchesTheClosedForm()
    {
        // References from the closed form with erf (Python math.erf); [−2, 2] is Keras' constant.
        Assert.Equal(0.87962566103423978, TruncatedNormal.StandardTruncatedStd(-2, 2), 14);
        Assert.Equal(TruncatedNormal.StdOfStandardTruncatedTo2Sigmas, TruncatedNormal.StandardTruncatedStd(-2, 2), 14);
        Assert.Equal(0.5395600937548969, TruncatedNormal.StandardTruncatedStd(-1, 1), 14);
        Assert.Equal(0.7849469634044259, TruncatedNormal.StandardTruncatedStd(-1, 3), 14);
        Assert.Equal(0.5894130989686281, TruncatedNormal.StandardTruncatedStd(0, 3), 14);
    }

    [Fact]
    public void TruncatedNormal_StaysWithinTwoSigmasAndHasTheTruncatedStd()
    {
        const double mean = 0.1, std = 0.05;
        var w = Draw.Weights(new TruncatedNormal(mean, std), Rows, Cols);
        var m = Moments.Of(w);
        double low = mean - 2 * std, high = mean + 2 * std;
        Assert.True(m.Min >= low && m.Max <= high, $"values [{m.Min}, {m.Max}] outside [{low}, {high}]");
        // The density at the cut is φ(2)/(Z·σ) ≈ 0.0566/σ, so the extremes come within 20/(n·0.0566/σ) of it (e^−20).
        double edge = 20 * std / (0.0566 * m.Count);
        Assert.InRange(m.Max, high - edge, high);
        Assert.InRange(m.Min, low, low + edge);
        // Without correction the std is c·σ with c = 0.8796 (variance 0.774 σ²); kurtosis 3 bounds the truncated law's.
        double expectedStd = TruncatedNormal.StdOfStandardTruncatedTo2Sigmas * std;
        Assert.InRange(m.Mean, mean - m.MeanTolerance(expectedStd), mean + m.MeanTolerance(expectedStd));
        double variance = expectedStd * expectedStd, tol = m.VarianceTolerance(variance, 3);
        Assert.InRange(m.Variance, variance - tol, variance + tol);
    }

    [Theory]
    [InlineData(-2.0, 2.0)]
    [InlineData(-1.0, 3.0)]
    public void TruncatedNormal_CorrectStdPutsTheStdOnTarget(double lowSigmas, double highSigmas)
    {
        const double std = 0.2;
        var init = new TruncatedNormal(0, std, lowSigmas, highSigmas, correctStd: true);
        var m = Moments.Of(Draw.Weights(init, Rows, Cols));
        double tol = m.VarianceTolerance(std * std, 3);
        Assert.InRange(m.Variance, std * std - tol, std * std + tol);
        // The cut moves with the enlarged draw std s = σ/c.
        double s = std / TruncatedNormal.StandardTruncatedStd(lowSigmas, highSigmas);
        Assert.Equal(s, init.DrawStd, 15);
        Assert.True(m.Min >= lowSigmas * s && m.Max <= highSigmas * s, $"values [{m.Min}, {m.Max}] outside [{lowSigmas * s}, {highSigmas * s}]");
        Assert.True(m.Max > 0.99 * highSigmas * s && m.Min < 0.99 * lowSigmas * s, "the cut is not reached");
    }

    [Fact]
    public void TruncatedNormal_IsNotUniform()
    {
        // Kurtosis of N(0,1) truncated to [−2, 2] is ≈ 2.36 (uniform 1.8, normal 3).
        var m = Moments.Of(Draw.Weights(new TruncatedNormal(), Rows, Cols));
        Assert.InRange(m.Kurtosis, 2.2, 2.5);
    }

    [Fact]
    public void Zeros_FillsZerosAndDrawsNothing()
    {
        var rng = new Rng(5);
        var before = rng.GetState();
        var w = Enumerable.Repeat(7.0, 12).ToArray();
        new Zeros().Initialize(w, new InitContext(3, 4, Activation.ReLU, 0, rng));
        Assert.All(w, v => Assert.Equal(0.0, v));
        Assert.Equal(before, rng.GetState());
    }

    [Fact]
    public void Constant_FillsTheValue()
    {
        var w = Draw.Weights(new Constant(0.25), 3, 4);
        Assert.All(w, v => Assert.Equal(0.25, v));
    }
}
