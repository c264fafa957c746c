namespace Engine.Initializers;

/// <summary>
/// LeCun uniform: w ~ U(−bound, bound) with bound = √(3 / fan_in), so std = 1 / √fan_in.
/// LeCun, Bottou, Orr &amp; Müller, "Efficient BackProp", 1998 (Keras' lecun_uniform).
/// </summary>
public sealed class LeCunUniform : Initializer
{
    /// <inheritdoc/>
    public override string Name => "lecun-uniform";

    /// <summary>bound = √(3 / fan_in).</summary>
    public static double Bound(InitContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return Math.Sqrt(3.0 / context.FanIn);
    }

    /// <inheritdoc/>
    protected override void Fill(Span<double> weights, InitContext context)
    {
        double bound = Bound(context);
        Init.FillUniform(weights, context.Rng, -bound, bound);
    }
}
