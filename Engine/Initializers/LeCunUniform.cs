namespace Engine.Initializers;

/// <summary>
/// LeCun uniform: w ~ U(−bound, bound) with bound = √(3 / fan_in), so std = 1 / √fan_in.
/// LeCun, Bottou, Orr &amp; Müller, "Efficient BackProp", 1998 (Keras' lecun_uniform).
/// </summary>
public sealed class LeCunUniform() : VarianceScaling(isUniform: true)
{
    /// <inheritdoc/>
    public override string Name => "lecun-uniform";

    /// <summary>bound = √(3 / fan_in).</summary>
    public static double Bound(InitContext context) => Math.Sqrt(3.0 / FanIn(context));

    private protected override double Spread(InitContext context) => Bound(context);
}
