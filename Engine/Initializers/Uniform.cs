namespace Engine.Initializers;

/// <summary>w ~ U[low, high) (torch.nn.init.uniform_; Keras' RandomUniform defaults to ±0.05).</summary>
public sealed class Uniform : Initializer
{
    /// <summary>Uniform on [<paramref name="low"/>, <paramref name="high"/>).</summary>
    /// <exception cref="ArgumentOutOfRangeException">A non-finite bound.</exception>
    /// <exception cref="ArgumentException"><paramref name="low"/> ≥ <paramref name="high"/>.</exception>
    public Uniform(double low = -0.05, double high = 0.05)
    {
        Init.RequireFinite(low, nameof(low));
        Init.RequireFinite(high, nameof(high));
        if (!(low < high))
            throw new ArgumentException(FormattableString.Invariant($"low must be less than high, got low = {low}, high = {high}."), nameof(low));
        Low = low;
        High = high;
    }

    /// <summary>The inclusive lower bound.</summary>
    public double Low { get; }

    /// <summary>The exclusive upper bound.</summary>
    public double High { get; }

    /// <inheritdoc/>
    public override string Name => "uniform";

    /// <inheritdoc/>
    protected override void Fill(Span<double> weights, InitContext context) =>
        Init.FillUniform(weights, context.Rng, Low, High);

    /// <inheritdoc/>
    public override string ToString() => FormattableString.Invariant($"{Name}({Low}, {High})");
}
