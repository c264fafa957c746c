namespace Engine.Kernels;

/// <summary>
/// The error function, which the BCL lacks (there is no Math.Erf), to double precision: GELU needs
/// Φ(x) = ½·erfc(−x/√2) accurate enough that its derivative Φ(x) + x·φ(x) passes a finite-difference check.
/// </summary>
/// <remarks>
/// Two expansions without cancellation, each accurate to a few ulps where it is used:
/// <list type="bullet">
/// <item>|z| &lt; 2.5: erf(z) = (2/√π)·e^(−z²)·Σₙ 2ⁿ z^(2n+1) / (1·3·5···(2n+1)) (Abramowitz &amp; Stegun 7.1.6):
/// every term is positive, so summing loses nothing; at most about 60 terms.</item>
/// <item>|z| ≥ 2.5: erfc(z) = (e^(−z²)/√π) / (z + (1/2)/(z + 1/(z + (3/2)/(z + 2/(z + …))))) (A&amp;S 7.1.14),
/// evaluated by the modified Lentz algorithm (Numerical Recipes, 3rd ed., §5.2).</item>
/// </list>
/// erf = 1 − erfc and erfc = 1 − erf across the switch; erfc(−z) = 2 − erfc(z). erf is good to about 1e-16
/// absolute everywhere; erfc to about 1e-16 absolute below the switch (1 − erf cancels: erfc(2) only to
/// 5e-14 relative) and to about z²·ε relative above it (the error of e^(−z²)), e.g. 1e-14 at z = 5.
/// </remarks>
internal static class SpecialFunctions
{
    private const double Switch = 2.5;
    private const double TwoOverSqrtPi = 1.1283791670955126;     // 2/√π
    private const double OneOverSqrtPi = 0.56418958354775628;    // 1/√π

    /// <summary>erf(x) = (2/√π)∫₀ˣ e^(−t²) dt.</summary>
    public static double Erf(double x)
    {
        if (double.IsNaN(x))
            return x;
        double z = Math.Abs(x);
        // beyond 6, erfc(z) < 2.2e-17 is below half an ulp of 1: erf rounds to ±1 (this also covers ±∞)
        double r = z < Switch ? ErfSeries(z) : z < 6.0 ? 1.0 - ErfcContinuedFraction(z) : 1.0;
        return x < 0 ? -r : r;
    }

    /// <summary>erfc(x) = 1 − erf(x), accurate (relative) for large x where 1 − erf(x) would cancel.</summary>
    public static double Erfc(double x)
    {
        if (double.IsNaN(x))
            return x;
        if (x < 0)
            return 2.0 - Erfc(-x);
        if (x > 27.3)
            return 0.0; // e^(−x²) underflows (this also covers +∞)
        return x < Switch ? 1.0 - ErfSeries(x) : ErfcContinuedFraction(x);
    }

    /// <summary>Φ(x), the standard normal CDF: ½·erfc(−x/√2).</summary>
    public static double NormalCdf(double x) => 0.5 * Erfc(-x * 0.70710678118654752);

    /// <summary>φ(x) = e^(−x²/2)/√(2π), the standard normal density.</summary>
    public static double NormalPdf(double x) => 0.3989422804014327 * Math.Exp(-0.5 * x * x);

    // 0 ≤ z < Switch.
    private static double ErfSeries(double z)
    {
        double z2 = z * z, term = z, sum = z;
        for (int n = 1; n < 200 && term > sum * 1e-17; n++)
        {
            term *= 2.0 * z2 / (2 * n + 1);
            sum += term;
        }
        return TwoOverSqrtPi * Math.Exp(-z2) * sum;
    }

    // z ≥ Switch: f = z + a₁/(z + a₂/(z + …)), aₙ = n/2; erfc = e^(−z²)/(√π·f).
    private static double ErfcContinuedFraction(double z)
    {
        const double Tiny = 1e-300;
        double f = z, c = z, d = 0.0;
        for (int n = 1; n < 500; n++)
        {
            double a = 0.5 * n;
            d = z + a * d;
            d = 1.0 / (d == 0 ? Tiny : d);
            c = z + a / c;
            if (c == 0)
                c = Tiny;
            double delta = c * d;
            f *= delta;
            if (Math.Abs(delta - 1.0) < 1e-16)
                break;
        }
        return OneOverSqrtPi * Math.Exp(-z * z) / f;
    }
}
