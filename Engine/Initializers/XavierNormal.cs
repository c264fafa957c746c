namespace Engine.Initializers;

/// <summary>
/// Xavier (Glorot) normal: w ~ N(0, std²) with std = gain · √(2 / (fan_in + fan_out)).
/// Glorot &amp; Bengio, AISTATS 2010 (torch.nn.init.xavier_normal_).
/// </summary>
/// <param name="gain">The multiplier on the spread (positive and finite, else <see cref="ArgumentOutOfRangeException"/>).</param>
public sealed class XavierNormal(double gain = 1.0) : XavierScaling(isUniform: false, gain)
{
    /// <inheritdoc/>
    public override string Name => "xavier-normal";

    /// <summary>std = gain · √(2 / (fan_in + fan_out)).</summary>
    public double Std(InitContext context) => Gain * Math.Sqrt(2.0 / FanSum(context));

    private protected override double Spread(InitContext context) => Std(context);
}
