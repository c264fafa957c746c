namespace Engine.Initializers;

/// <summary>
/// The pieces every scheme is built from, factored out once as in torch.nn.init: the fan of a weight
/// shape and the gain of the nonlinearity that follows. A scheme is then fan → gain → std → bound.
/// </summary>
public static class Init
{
    /// <summary>
    /// The recommended gain for <paramref name="activation"/> (torch.nn.init.calculate_gain): the factor that
    /// keeps the variance of activations steady through the nonlinearity.
    /// <list type="table">
    /// <item><term>Identity, Sigmoid</term><description>1</description></item>
    /// <item><term>Tanh</term><description>5/3</description></item>
    /// <item><term>ReLU</term><description>√2</description></item>
    /// <item><term>LeakyReLU, PReLU</term><description>√(2 / (1 + a²)), a = <paramref name="negativeSlope"/></description></item>
    /// <item><term>SELU</term><description>3/4 (torch's value, for use with LeCun normal)</description></item>
    /// <item><term>ELU, GELU, SiLU</term><description>√2, as ReLU (torch has no entry; they are rectifier-like)</description></item>
    /// </list>
    /// The values live in <see cref="Activations"/>' table.
    /// </summary>
    /// <param name="activation">The nonlinearity that follows the layer.</param>
    /// <param name="negativeSlope">Leaky ReLU's or PReLU's negative slope a; ignored by the others.</param>
    /// <exception cref="ArgumentOutOfRangeException">An undefined activation or a non-finite slope.</exception>
    public static double Gain(Activation activation, double negativeSlope = 0.01) => Activations.Gain(activation, negativeSlope);

    /// <summary>fan_in (= <see cref="InitContext.Cols"/>) or fan_out (= <see cref="InitContext.Rows"/>) of the weight shape.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An undefined <paramref name="mode"/>.</exception>
    public static int Fan(InitContext context, FanMode mode)
    {
        ArgumentNullException.ThrowIfNull(context);
        return mode switch
        {
            FanMode.FanIn => context.FanIn,
            FanMode.FanOut => context.FanOut,
            _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, $"Unknown fan mode {mode}."),
        };
    }

    /// <summary>√(2 / (1 + a²)): the He gain of a rectifier with negative slope a (a = 0 is ReLU's √2).</summary>
    internal static double LeakyReLUGain(double negativeSlope)
    {
        RequireFinite(negativeSlope, nameof(negativeSlope));
        return Math.Sqrt(2.0 / (1.0 + negativeSlope * negativeSlope));
    }

    // ---- argument checks shared by the schemes ----

    internal static double RequireFinite(double value, string name)
    {
        if (!double.IsFinite(value))
            throw new ArgumentOutOfRangeException(name, value, FormattableString.Invariant($"{name} must be a finite number, got {value}."));
        return value;
    }

    internal static double RequirePositive(double value, string name)
    {
        if (!(value > 0) || !double.IsFinite(value))
            throw new ArgumentOutOfRangeException(name, value, FormattableString.Invariant($"{name} must be a positive finite number, got {value}."));
        return value;
    }

    internal static double RequireNonNegative(double value, string name)
    {
        if (!(value >= 0) || !double.IsFinite(value))
            throw new ArgumentOutOfRangeException(name, value, FormattableString.Invariant($"{name} must be a non-negative finite number, got {value}."));
        return value;
    }

    internal static void RequireDefined(FanMode mode, string name)
    {
        if (!Enum.IsDefined(mode))
            throw new ArgumentOutOfRangeException(name, mode, FormattableString.Invariant($"{name} must be FanIn or FanOut, got {mode}."));
    }

    // ---- the two fills every scheme ends in ----

    /// <summary>w ~ N(mean, std²), element by element in order.</summary>
    internal static void FillNormal(Span<double> weights, Rng rng, double mean, double std)
    {
        for (int i = 0; i < weights.Length; i++)
            weights[i] = rng.NextNormal(mean, std);
    }

    /// <summary>w = s·z, z ~ N(0, 1) redrawn until |z| ≤ <paramref name="cutSigmas"/>, element by element in order.</summary>
    internal static void FillTruncatedNormal(Span<double> weights, Rng rng, double drawStd, double cutSigmas)
    {
        for (int i = 0; i < weights.Length; i++)
        {
            double z;
            do
                z = rng.NextNormal();
            while (Math.Abs(z) > cutSigmas);
            weights[i] = drawStd * z;
        }
    }

    /// <summary>w ~ U[low, high), element by element in order.</summary>
    internal static void FillUniform(Span<double> weights, Rng rng, double low, double high)
    {
        for (int i = 0; i < weights.Length; i++)
            weights[i] = rng.NextUniform(low, high);
    }
}
