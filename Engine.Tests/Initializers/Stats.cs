namespace Engine.Tests.Initializers;

/// <summary>Sample moments and the tolerances the statistical tests derive from them.</summary>
internal readonly record struct Moments(int Count, double Mean, double Variance, double Kurtosis, double Min, double Max)
{
    /// <summary>Mean, (population) variance, kurtosis m₄/m₂² (3 for a normal, 1.8 for a uniform), min and max.</summary>
    public static Moments Of(ReadOnlySpan<double> x)
    {
        double sum = 0, min = double.PositiveInfinity, max = double.NegativeInfinity;
        foreach (double v in x)
        {
            sum += v;
            min = Math.Min(min, v);
            max = Math.Max(max, v);
        }
        double mean = sum / x.Length, m2 = 0, m4 = 0;
        foreach (double v in x)
        {
            double d = (v - mean) * (v - mean);
            m2 += d;
            m4 += d * d;
        }
        m2 /= x.Length;
        m4 /= x.Length;
        return new Moments(x.Length, mean, m2, m4 / (m2 * m2), min, max);
    }

    // Tolerances: 5 standard errors. The seeds are fixed, so nothing is flaky; 5 SE keeps the tests from
    // being tuned to one seed while staying far tighter than the errors they must catch (a swapped fan
    // changes the variance by 2.5×, a wrong gain by ≥ 4 %, both ≫ 5 SE at n ≈ 10⁶).

    /// <summary>SE of the sample mean: σ/√n.</summary>
    public double MeanTolerance(double std) => 5 * std / Math.Sqrt(Count);

    /// <summary>SE of the sample variance: σ²·√((κ − 1)/n), κ the distribution's kurtosis (3 normal, 1.8 uniform).</summary>
    public double VarianceTolerance(double variance, double kurtosis) => 5 * variance * Math.Sqrt((kurtosis - 1) / Count);

    /// <summary>
    /// SE of the sample kurtosis: √(24/n) for a normal. For a symmetric law the asymptotic variance is
    /// (μ₈/μ₂⁴ − 4μ₄μ₆/μ₂⁵ + 4μ₄³/μ₂⁶ − μ₄²/μ₂⁴)/n: 24/n for the normal, 1.32/n for the uniform, so the
    /// normal's value is a safe bound for both (and for the truncated normal, whose tails are lighter still).
    /// </summary>
    public double KurtosisTolerance() => 5 * Math.Sqrt(24.0 / Count);

    /// <summary>
    /// How far the max (min) of n uniform draws on a width-w interval may fall short of the bound: the gap
    /// exceeds t with probability (1 − t/w)ⁿ ≈ e^(−n·t/w), so t = 20·w/n leaves e^(−20).
    /// </summary>
    public double EdgeTolerance(double width) => 20 * width / Count;
}

internal static class Draw
{
    /// <summary>The weights of a (rows, cols) layer filled by <paramref name="init"/> from a fresh Rng(seed).</summary>
    public static double[] Weights(IInitializer init, int rows, int cols, Activation activation = Activation.ReLU,
        double negativeSlope = 0, ulong seed = 1)
    {
        var w = new double[rows * cols];
        init.Initialize(w, new InitContext(rows, cols, activation, negativeSlope, new Rng(seed)));
        return w;
    }
}
