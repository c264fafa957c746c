namespace Engine.Initializers;

/// <summary>
/// The shared part of the variance-scaling schemes (He, Xavier, LeCun; Keras' VarianceScaling, torch's
/// kaiming_*/xavier_* helpers): a scheme is a gain and a fan giving a spread, and a distribution drawn with
/// it — N(0, std²), or U(−bound, bound) with bound = √3·std so the standard deviation is the same, or (Keras'
/// "truncated_normal") N(0, s²) cut at ±2s with s = std / 0.87962566103423978, whose standard deviation is std.
/// Each scheme keeps its own formula for the spread (as its paper and torch write it, so the values stay
/// bit-identical); the draw is here once.
/// </summary>
public abstract class VarianceScaling : Initializer
{
    private protected VarianceScaling(bool isUniform, bool isTruncated = false)
    {
        IsUniform = isUniform;
        IsTruncated = isTruncated && !isUniform;
    }

    /// <summary>Whether weights are drawn from U(−bound, bound) rather than a normal.</summary>
    public bool IsUniform { get; }

    /// <summary>Whether the normal is Keras' truncated one: cut at ±2 of its own std, that std enlarged by 1/0.8796 so the result's std is the formula's.</summary>
    public bool IsTruncated { get; }

    /// <summary>The std (normal, truncated normal) or the bound (uniform) for this shape and activation.</summary>
    private protected abstract double Spread(InitContext context);

    /// <summary>fan_in, as a double (the context must not be null).</summary>
    private protected static double FanIn(InitContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.FanIn;
    }

    /// <inheritdoc/>
    protected sealed override void Fill(Span<double> weights, InitContext context)
    {
        double spread = Spread(context);
        if (IsUniform)
            Init.FillUniform(weights, context.Rng, -spread, spread);
        else if (IsTruncated)
            Init.FillTruncatedNormal(weights, context.Rng, spread / TruncatedNormal.StdOfStandardTruncatedTo2Sigmas, 2.0);
        else
            Init.FillNormal(weights, context.Rng, 0.0, spread);
    }
}

/// <summary>
/// He (Kaiming) schemes: gain = √(2 / (1 + a²)) over fan_in or fan_out (He, Zhang, Ren &amp; Sun, "Delving Deep
/// into Rectifiers", ICCV 2015). The slope a is <see cref="NegativeSlope"/> if given; otherwise the context's
/// <see cref="InitContext.NegativeSlope"/> when a Leaky ReLU or PReLU follows; otherwise 0 (gain √2).
/// </summary>
public abstract class HeScaling : VarianceScaling
{
    private protected HeScaling(bool isUniform, FanMode mode, double? negativeSlope, bool isTruncated = false) : base(isUniform, isTruncated)
    {
        Init.RequireDefined(mode, nameof(mode));
        if (negativeSlope is double a)
            Init.RequireFinite(a, nameof(negativeSlope));
        Mode = mode;
        NegativeSlope = negativeSlope;
    }

    /// <summary>The fan divided by.</summary>
    public FanMode Mode { get; }

    /// <summary>The fixed negative slope, or null to take it from the context.</summary>
    public double? NegativeSlope { get; }

    /// <summary>He's gain for this context: √(2/(1+a²)).</summary>
    private protected double Gain(InitContext context)
    {
        if (NegativeSlope is double a)
            return Init.LeakyReLUGain(a);
        return context.Activation is Activation.LeakyReLU or Activation.PReLU
            ? Init.LeakyReLUGain(context.NegativeSlope)
            : Math.Sqrt(2.0);
    }

    /// <inheritdoc/>
    public override string ToString() => FormattableString.Invariant($"{Name}({Mode}{(NegativeSlope is double a ? FormattableString.Invariant($", a={a}") : "")})");
}

/// <summary>
/// Xavier (Glorot) schemes: gain over fan_avg = (fan_in + fan_out)/2 (Glorot &amp; Bengio, "Understanding the
/// difficulty of training deep feedforward neural networks", AISTATS 2010).
/// </summary>
public abstract class XavierScaling : VarianceScaling
{
    private protected XavierScaling(bool isUniform, double gain) : base(isUniform)
    {
        Init.RequirePositive(gain, nameof(gain));
        Gain = gain;
    }

    /// <summary>The multiplier on the spread.</summary>
    public double Gain { get; }

    /// <summary>fan_in + fan_out, as a double.</summary>
    private protected static double FanSum(InitContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return (double)context.FanIn + context.FanOut;
    }

    /// <inheritdoc/>
    public override string ToString() => FormattableString.Invariant($"{Name}(gain={Gain})");
}
