namespace Engine.Initializers;

/// <summary>w ~ N(mean, std²) (torch.nn.init.normal_; Keras' RandomNormal defaults to std 0.05).</summary>
/// <param name="mean">The mean (finite, else <see cref="ArgumentOutOfRangeException"/>).</param>
/// <param name="std">The standard deviation (finite and ≥ 0, else <see cref="ArgumentOutOfRangeException"/>).</param>
public sealed class Normal(double mean = 0.0, double std = 0.05) : Initializer
{
    /// <summary>The mean.</summary>
    public double Mean { get; } = Init.RequireFinite(mean, nameof(mean));

    /// <summary>The standard deviation.</summary>
    public double Std { get; } = Init.RequireNonNegative(std, nameof(std));

    /// <inheritdoc/>
    public override string Name => "normal";

    /// <inheritdoc/>
    protected override void Fill(Span<double> weights, InitContext context) =>
        Init.FillNormal(weights, context.Rng, Mean, Std);

    /// <inheritdoc/>
    public override string ToString() => FormattableString.Invariant($"{Name}(mean={Mean}, std={Std})");
}
