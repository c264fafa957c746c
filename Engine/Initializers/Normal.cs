namespace Engine.Initializers;

/// <summary>w ~ N(mean, std²) (torch.nn.init.normal_; Keras' RandomNormal defaults to std 0.05).</summary>
public sealed class Normal : Initializer
{
    /// <summary>Normal with the given <paramref name="mean"/> and standard deviation <paramref name="std"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A non-finite mean, or a negative or non-finite std.</exception>
    public Normal(double mean = 0.0, double std = 0.05)
    {
        Init.RequireFinite(mean, nameof(mean));
        Init.RequireNonNegative(std, nameof(std));
        Mean = mean;
        Std = std;
    }

    /// <summary>The mean.</summary>
    public double Mean { get; }

    /// <summary>The standard deviation.</summary>
    public double Std { get; }

    /// <inheritdoc/>
    public override string Name => "normal";

    /// <inheritdoc/>
    protected override void Fill(Span<double> weights, InitContext context) =>
        Init.FillNormal(weights, context.Rng, Mean, Std);

    /// <inheritdoc/>
    public override string ToString() => FormattableString.Invariant($"{Name}(mean={Mean}, std={Std})");
}
