namespace Engine.Initializers;

/// <summary>
/// He normal as Keras draws it (keras.initializers.HeNormal, VarianceScaling(2.0, "fan_in", "truncated_normal")):
/// w = s·z with z ~ N(0, 1) redrawn until |z| ≤ 2, and s = std / 0.87962566103423978, std = gain / √fan, so that
/// the result's standard deviation is He's std (0.8796 is the std of a standard normal truncated to [−2, 2]) and
/// no weight lies beyond ±2s ≈ ±2.27·std. The gain and slope are chosen as in <see cref="HeScaling"/>.
/// torch's kaiming_normal_ (<see cref="HeNormal"/>) draws the plain normal; both have the same std.
/// </summary>
public sealed class HeTruncatedNormal : HeScaling
{
    /// <summary>He truncated normal over <paramref name="mode"/>'s fan, with an optional fixed negative slope.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An undefined mode or a non-finite slope.</exception>
    public HeTruncatedNormal(FanMode mode = FanMode.FanIn, double? negativeSlope = null) : base(isUniform: false, mode, negativeSlope, isTruncated: true)
    {
    }

    /// <inheritdoc/>
    public override string Name => "he-truncated-normal";

    /// <summary>The standard deviation of the result: gain / √fan.</summary>
    public double Std(InitContext context) => Gain(context) / Math.Sqrt(Init.Fan(context, Mode));

    /// <summary>The cut: ±2s, s = std / 0.87962566103423978.</summary>
    public double Bound(InitContext context) => 2.0 * Std(context) / TruncatedNormal.StdOfStandardTruncatedTo2Sigmas;

    private protected override double Spread(InitContext context) => Std(context);
}
