namespace Engine.Initializers;

/// <summary>
/// Xavier (Glorot) normal: w ~ N(0, std²) with std = gain · √(2 / (fan_in + fan_out)).
/// Glorot &amp; Bengio, AISTATS 2010 (torch.nn.init.xavier_normal_).
/// </summary>
public sealed class XavierNormal : XavierScaling
{
    /// <summary>Xavier normal scaled by <paramref name="gain"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="gain"/> is not positive and finite.</exception>
    public XavierNormal(double gain = 1.0) : base(isUniform: false, gain)
    {
    }

    /// <inheritdoc/>
    public override string Name => "xavier-normal";

    /// <summary>std = gain · √(2 / (fan_in + fan_out)).</summary>
    public double Std(InitContext context) => Gain * Math.Sqrt(2.0 / FanSum(context));

    private protected override double Spread(InitContext context) => Std(context);
}
