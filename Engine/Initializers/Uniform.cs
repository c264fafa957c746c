namespace Engine.Initializers;

/// <summary>w ~ U[low, high) (torch.nn.init.uniform_; Keras' RandomUniform defaults to ±0.05).</summary>
/// <param name="low">The inclusive lower bound (finite, and below <paramref name="high"/>: else an <see cref="ArgumentException"/>).</param>
/// <param name="high">The exclusive upper bound (finite).</param>
public sealed class Uniform(double low = -0.05, double high = 0.05) : Initializer
{
    /// <summary>The inclusive lower bound.</summary>
    public double Low { get; } = Init.RequireFinite(low, nameof(low)) < Init.RequireFinite(high, nameof(high)) ? low
        : throw new ArgumentException(FormattableString.Invariant($"low must be less than high, got low = {low}, high = {high}."), nameof(low));

    /// <summary>The exclusive upper bound.</summary>
    public double High { get; } = high;

    /// <inheritdoc/>
    public override string Name => "uniform";

    /// <inheritdoc/>
    protected override void Fill(Span<double> weights, InitContext context) =>
        Init.FillUniform(weights, context.Rng, Low, High);

    /// <inheritdoc/>
    public override string ToString() => FormattableString.Invariant($"{Name}({Low}, {High})");
}
