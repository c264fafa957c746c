namespace Engine.Initializers;

/// <summary>
/// Xavier (Glorot) uniform: w ~ U(−bound, bound) with bound = gain · √(6 / (fan_in + fan_out)),
/// so std = gain · √(2 / (fan_in + fan_out)). Glorot &amp; Bengio, "Understanding the difficulty of
/// training deep feedforward neural networks", AISTATS 2010 (torch.nn.init.xavier_uniform_; Keras' glorot_uniform).
/// </summary>
public sealed class XavierUniform : Initializer
{
    /// <summary>Xavier uniform scaled by <paramref name="gain"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="gain"/> is not positive and finite.</exception>
    public XavierUniform(double gain = 1.0)
    {
        Init.RequirePositive(gain, nameof(gain));
        Gain = gain;
    }

    /// <summary>The multiplier on the bound.</summary>
    public double Gain { get; }

    /// <inheritdoc/>
    public override string Name => "xavier-uniform";

    /// <summary>bound = gain · √(6 / (fan_in + fan_out)).</summary>
    public double Bound(InitContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return Gain * Math.Sqrt(6.0 / ((double)context.FanIn + context.FanOut));
    }

    /// <inheritdoc/>
    protected override void Fill(Span<double> weights, InitContext context)
    {
        double bound = Bound(context);
        Init.FillUniform(weights, context.Rng, -bound, bound);
    }

    /// <inheritdoc/>
    public override string ToString() => FormattableString.Invariant($"{Name}(gain={Gain})");
}
