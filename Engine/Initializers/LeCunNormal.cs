namespace Engine.Initializers;

/// <summary>
/// LeCun normal: w ~ N(0, std²) with std = 1 / √fan_in (the variance-preserving choice for identity-like
/// units; with SELU it gives self-normalizing nets). LeCun, Bottou, Orr &amp; Müller, "Efficient BackProp",
/// 1998; Klambauer et al., "Self-Normalizing Neural Networks", NeurIPS 2017. Keras' lecun_normal draws from
/// a truncated normal rescaled to this std; here it is a plain normal.
/// </summary>
public sealed class LeCunNormal() : VarianceScaling(isUniform: false)
{
    /// <inheritdoc/>
    public override string Name => "lecun-normal";

    /// <summary>std = 1 / √fan_in.</summary>
    public static double Std(InitContext context) => 1.0 / Math.Sqrt(FanIn(context));

    private protected override double Spread(InitContext context) => Std(context);
}
