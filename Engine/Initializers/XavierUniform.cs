namespace Engine.Initializers;

/// <summary>
/// Xavier (Glorot) uniform: w ~ U(−bound, bound) with bound = gain · √(6 / (fan_in + fan_out)),
/// so std = gain · √(2 / (fan_in + fan_out)). Glorot &amp; Bengio, AISTATS 2010
/// (torch.nn.init.xavier_uniform_; Keras' glorot_uniform).
/// </summary>
/// <param name="gain">The multiplier on the spread (positive and finite, else <see cref="ArgumentOutOfRangeException"/>).</param>
public sealed class XavierUniform(double gain = 1.0) : XavierScaling(isUniform: true, gain)
{
    /// <inheritdoc/>
    public override string Name => "xavier-uniform";

    /// <summary>bound = gain · √(6 / (fan_in + fan_out)).</summary>
    public double Bound(InitContext context) => Gain * Math.Sqrt(6.0 / FanSum(context));

    private protected override double Spread(InitContext context) => Bound(context);
}
