namespace Engine.Initializers;

/// <summary>
/// He (Kaiming) uniform: w ~ U(−bound, bound) with bound = √3 · gain / √fan (so std = gain / √fan),
/// gain = √(2 / (1 + a²)). He, Zhang, Ren &amp; Sun, "Delving Deep into Rectifiers", ICCV 2015
/// (torch.nn.init.kaiming_uniform_). The slope a is chosen as in <see cref="HeScaling"/>.
/// </summary>
public sealed class HeUniform : HeScaling
{
    /// <summary>He uniform over <paramref name="mode"/>'s fan, with an optional fixed negative slope.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An undefined mode or a non-finite slope.</exception>
    public HeUniform(FanMode mode = FanMode.FanIn, double? negativeSlope = null) : base(isUniform: true, mode, negativeSlope)
    {
    }

    /// <inheritdoc/>
    public override string Name => "he-uniform";

    /// <summary>bound = √3 · gain / √fan for this shape and activation.</summary>
    public double Bound(InitContext context) => Math.Sqrt(3.0) * Gain(context) / Math.Sqrt(Init.Fan(context, Mode));

    private protected override double Spread(InitContext context) => Bound(context);
}
