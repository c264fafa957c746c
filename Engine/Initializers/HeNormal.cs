namespace Engine.Initializers;

/// <summary>
/// He (Kaiming) normal: w ~ N(0, std²) with std = gain / √fan, gain = √(2 / (1 + a²)).
/// He, Zhang, Ren &amp; Sun, "Delving Deep into Rectifiers: Surpassing Human-Level Performance on
/// ImageNet Classification", ICCV 2015 (torch.nn.init.kaiming_normal_). The slope a is chosen as in <see cref="HeScaling"/>.
/// </summary>
public sealed class HeNormal : HeScaling
{
    /// <summary>He normal over <paramref name="mode"/>'s fan, with an optional fixed negative slope.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An undefined mode or a non-finite slope.</exception>
    public HeNormal(FanMode mode = FanMode.FanIn, double? negativeSlope = null) : base(isUniform: false, mode, negativeSlope)
    {
    }

    /// <inheritdoc/>
    public override string Name => "he-normal";

    /// <summary>std = gain / √fan for this shape and activation.</summary>
    public double Std(InitContext context) => Gain(context) / Math.Sqrt(Init.Fan(context, Mode));

    private protected override double Spread(InitContext context) => Std(context);
}
