namespace Engine.Initializers;

/// <summary>
/// Xavier (Glorot) normal: w ~ N(0, std²) with std = gain · √(2 / (fan_in + fan_out)).
/// Glorot &amp; Bengio, "Understanding the difficulty of training deep feedforward neural networks",
/// AISTATS 2010 (torch.nn.init.xavier_normal_).
/// </summary>
public sealed class XavierNormal : Initializer
{
    /// <summary>Xavier normal scaled by <paramref name="gain"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="gain"/> is not positive and finite.</exception>
    public XavierNormal(double gain = 1.0)
    {
        Init.RequirePositive(gain, nameof(gain));
        Gain = gain;
    }

    /// <summary>The multiplier on the standard deviation.</summary>
    public double Gain { get; }

    /// <inheritdoc/>
    public override string Name => "xavier-normal";

    /// <summary>std = gain · √(2 / (fan_in + fan_out)).</summary>
    public double Std(InitContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return Gain * Math.Sqrt(2.0 / ((double)context.FanIn + context.FanOut));
    }

    /// <inheritdoc/>
    protected override void Fill(Span<double> weights, InitContext context) =>
        Init.FillNormal(weights, context.Rng, 0.0, Std(context));

    /// <inheritdoc/>
    public override string ToString() => FormattableString.Invariant($"{Name}(gain={Gain})");
}
