namespace Engine.Initializers;

/// <summary>
/// Truncated normal: w = mean + s · z, where z ~ N(0, 1) is redrawn until lowSigmas ≤ z ≤ highSigmas
/// (by default the Keras/TensorFlow rule: resample anything more than 2σ from the mean).
/// With <c>correctStd</c>, s = std / c where c is the standard deviation of the standard normal truncated to
/// [lowSigmas, highSigmas] (c = 0.87962566103423978 for [−2, 2], the constant in Keras' VarianceScaling
/// "truncated_normal"), so the result's standard deviation is std; the cut then sits at lowSigmas·s and highSigmas·s.
/// Without it, s = std and the result's standard deviation is c · std.
/// </summary>
/// <remarks>
/// The truncated normal's moments: with Z = Φ(b) − Φ(a), Var = 1 + (a·φ(a) − b·φ(b))/Z − ((φ(a) − φ(b))/Z)²
/// (Johnson, Kotz &amp; Balakrishnan, "Continuous Univariate Distributions", vol. 1, ch. 13). For an interval
/// that is not symmetric the mean is shifted by s·(φ(a) − φ(b))/Z; <c>correctStd</c> corrects the spread only.
/// </remarks>
public sealed class TruncatedNormal : Initializer
{
    /// <summary>The standard deviation of a standard normal truncated to [−2, 2].</summary>
    public const double StdOfStandardTruncatedTo2Sigmas = 0.87962566103423978;

    /// <summary>The least probability mass of [lowSigmas, highSigmas] accepted: rejection sampling needs 1/mass draws per value.</summary>
    public const double MinimumMass = 0.01;

    /// <summary>Truncated normal around <paramref name="mean"/>, cut at <paramref name="lowSigmas"/> and <paramref name="highSigmas"/> standard deviations.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A non-finite mean or cut, a negative or non-finite std, or a cut holding less than <see cref="MinimumMass"/> of the normal.</exception>
    /// <exception cref="ArgumentException"><paramref name="lowSigmas"/> ≥ <paramref name="highSigmas"/>.</exception>
    public TruncatedNormal(double mean = 0.0, double std = 0.05, double lowSigmas = -2.0, double highSigmas = 2.0, bool correctStd = false)
    {
        Init.RequireFinite(mean, nameof(mean));
        Init.RequireNonNegative(std, nameof(std));
        Init.RequireFinite(lowSigmas, nameof(lowSigmas));
        Init.RequireFinite(highSigmas, nameof(highSigmas));
        if (!(lowSigmas < highSigmas))
            throw new ArgumentException(FormattableString.Invariant($"lowSigmas must be less than highSigmas, got lowSigmas = {lowSigmas}, highSigmas = {highSigmas}."), nameof(lowSigmas));
        var (mass, truncatedStd) = StandardTruncatedMoments(lowSigmas, highSigmas);
        if (mass < MinimumMass)
            throw new ArgumentOutOfRangeException(nameof(lowSigmas), FormattableString.Invariant(
                $"The cut [{lowSigmas}, {highSigmas}] holds only {mass:G3} of a normal's mass; at least {MinimumMass} is needed for rejection sampling."));
        Mean = mean;
        Std = std;
        LowSigmas = lowSigmas;
        HighSigmas = highSigmas;
        CorrectStd = correctStd;
        DrawStd = correctStd ? std / truncatedStd : std;
    }

    /// <summary>The mean of the untruncated normal.</summary>
    public double Mean { get; }

    /// <summary>The requested standard deviation.</summary>
    public double Std { get; }

    /// <summary>The lower cut, in standard deviations of the drawn normal.</summary>
    public double LowSigmas { get; }

    /// <summary>The upper cut, in standard deviations of the drawn normal.</summary>
    public double HighSigmas { get; }

    /// <summary>Whether the drawn std is enlarged so the truncated result has standard deviation <see cref="Std"/>.</summary>
    public bool CorrectStd { get; }

    /// <summary>s: the standard deviation of the normal drawn from before truncation.</summary>
    public double DrawStd { get; }

    /// <summary>The lowest value produced: mean + lowSigmas · s.</summary>
    public double Low => Mean + LowSigmas * DrawStd;

    /// <summary>The highest value produced: mean + highSigmas · s.</summary>
    public double High => Mean + HighSigmas * DrawStd;

    /// <inheritdoc/>
    public override string Name => "truncated-normal";

    /// <summary>The standard deviation of N(0, 1) truncated to [<paramref name="a"/>, <paramref name="b"/>].</summary>
    public static double StandardTruncatedStd(double a, double b)
    {
        Init.RequireFinite(a, nameof(a));
        Init.RequireFinite(b, nameof(b));
        if (!(a < b))
            throw new ArgumentException(FormattableString.Invariant($"a must be less than b, got a = {a}, b = {b}."), nameof(a));
        return StandardTruncatedMoments(a, b).Std;
    }

    /// <inheritdoc/>
    protected override void Fill(Span<double> weights, InitContext context)
    {
        Rng rng = context.Rng;
        for (int i = 0; i < weights.Length; i++)
        {
            double z;
            do
                z = rng.NextNormal();
            while (z < LowSigmas || z > HighSigmas);
            weights[i] = Mean + DrawStd * z;
        }
    }

    /// <inheritdoc/>
    public override string ToString() =>
        FormattableString.Invariant($"{Name}(mean={Mean}, std={Std}, [{LowSigmas}σ, {HighSigmas}σ]{(CorrectStd ? ", std corrected" : "")})");

    /// <summary>
    /// Z = Φ(b) − Φ(a) and the truncated std from the closed form above. Z is integrated with composite
    /// Simpson over φ (the BCL has no erf); φ beyond ±40 underflows, so the interval is clipped there.
    /// With h ≤ 2·10⁻⁴ Simpson's error bound (b−a)·h⁴·max|φ⁽⁴⁾|/180 is below 10⁻¹⁶.
    /// </summary>
    private static (double Mass, double Std) StandardTruncatedMoments(double a, double b)
    {
        double lo = Math.Max(a, -40.0), hi = Math.Min(b, 40.0);
        double mass = 0.0;
        if (lo < hi)
        {
            int n = Math.Max(20_000, 2 * (int)Math.Ceiling((hi - lo) / 4e-4));
            double h = (hi - lo) / n;
            double sum = Phi(lo) + Phi(hi);
            for (int i = 1; i < n; i++)
                sum += (i % 2 == 1 ? 4.0 : 2.0) * Phi(lo + i * h);
            mass = sum * h / 3.0;
        }
        if (mass <= 0)
            return (0.0, 0.0);
        double pa = Phi(a), pb = Phi(b);
        double variance = 1.0 + (a * pa - b * pb) / mass - Math.Pow((pa - pb) / mass, 2);
        return (mass, Math.Sqrt(variance));
    }

    /// <summary>φ(x) = e^(−x²/2) / √(2π).</summary>
    private static double Phi(double x) => Math.Exp(-0.5 * x * x) / Math.Sqrt(2.0 * Math.PI);
}
