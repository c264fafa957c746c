using System.Globalization;

namespace Engine.Initializers;

/// <summary>
/// He (Kaiming) uniform: w ~ U(−bound, bound) with bound = √3 · gain / √fan (so std = gain / √fan),
/// gain = √(2 / (1 + a²)). He, Zhang, Ren &amp; Sun, "Delving Deep into Rectifiers", ICCV 2015
/// (torch.nn.init.kaiming_uniform_).
/// </summary>
/// <remarks>The slope a is chosen as in <see cref="HeNormal"/>.</remarks>
public sealed class HeUniform : Initializer
{
    /// <summary>He uniform over <paramref name="mode"/>'s fan, with an optional fixed negative slope.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An undefined mode or a non-finite slope.</exception>
    public HeUniform(FanMode mode = FanMode.FanIn, double? negativeSlope = null)
    {
        Init.RequireDefined(mode, nameof(mode));
        if (negativeSlope is double a)
            Init.RequireFinite(a, nameof(negativeSlope));
        Mode = mode;
        NegativeSlope = negativeSlope;
    }

    /// <summary>The fan divided by.</summary>
    public FanMode Mode { get; }

    /// <summary>The fixed negative slope, or null to take it from the context.</summary>
    public double? NegativeSlope { get; }

    /// <inheritdoc/>
    public override string Name => "he-uniform";

    /// <summary>bound = √3 · gain / √fan for this shape and activation.</summary>
    public double Bound(InitContext context) =>
        Math.Sqrt(3.0) * HeNormal.HeGain(NegativeSlope, context) / Math.Sqrt(Init.Fan(context, Mode));

    /// <inheritdoc/>
    protected override void Fill(Span<double> weights, InitContext context)
    {
        double bound = Bound(context);
        Init.FillUniform(weights, context.Rng, -bound, bound);
    }

    /// <inheritdoc/>
    public override string ToString() => FormattableString.Invariant($"{Name}({Mode}{(NegativeSlope is double a ? ", a=" + a.ToString(CultureInfo.InvariantCulture) : "")})");
}
