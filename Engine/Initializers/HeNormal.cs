using System.Globalization;

namespace Engine.Initializers;

/// <summary>
/// He (Kaiming) normal: w ~ N(0, std²) with std = gain / √fan, gain = √(2 / (1 + a²)).
/// He, Zhang, Ren &amp; Sun, "Delving Deep into Rectifiers: Surpassing Human-Level Performance on
/// ImageNet Classification", ICCV 2015 (torch.nn.init.kaiming_normal_).
/// </summary>
/// <remarks>
/// The slope a is <c>negativeSlope</c> if given; otherwise the context's <see cref="InitContext.NegativeSlope"/>
/// when a Leaky ReLU or PReLU follows; otherwise 0 (ReLU, gain √2).
/// </remarks>
public sealed class HeNormal : Initializer
{
    /// <summary>He normal over <paramref name="mode"/>'s fan, with an optional fixed negative slope.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An undefined mode or a non-finite slope.</exception>
    public HeNormal(FanMode mode = FanMode.FanIn, double? negativeSlope = null)
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
    public override string Name => "he-normal";

    /// <summary>std = gain / √fan for this shape and activation.</summary>
    public double Std(InitContext context) => HeGain(NegativeSlope, context) / Math.Sqrt(Init.Fan(context, Mode));

    /// <inheritdoc/>
    protected override void Fill(Span<double> weights, InitContext context) =>
        Init.FillNormal(weights, context.Rng, 0.0, Std(context));

    /// <inheritdoc/>
    public override string ToString() => FormattableString.Invariant($"{Name}({Mode}{(NegativeSlope is double a ? ", a=" + a.ToString(CultureInfo.InvariantCulture) : "")})");

    /// <summary>He's gain: √(2/(1+a²)) with a explicit, else the context's slope for Leaky ReLU/PReLU, else √2.</summary>
    internal static double HeGain(double? negativeSlope, InitContext context)
    {
        if (negativeSlope is double a)
            return Init.LeakyReLUGain(a);
        return context.Activation is Activation.LeakyReLU or Activation.PReLU
            ? Init.LeakyReLUGain(context.NegativeSlope)
            : Math.Sqrt(2.0);
    }
}
