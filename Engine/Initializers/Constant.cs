namespace Engine.Initializers;

/// <summary>w = value everywhere (torch.nn.init.constant_). Draws nothing.</summary>
public sealed class Constant : Initializer
{
    /// <summary>Fills with <paramref name="value"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="value"/> is NaN or infinite.</exception>
    public Constant(double value)
    {
        Init.RequireFinite(value, nameof(value));
        Value = value;
    }

    /// <summary>The fill value.</summary>
    public double Value { get; }

    /// <inheritdoc/>
    public override string Name => "constant";

    /// <inheritdoc/>
    protected override void Fill(Span<double> weights, InitContext context) => weights.Fill(Value);

    /// <inheritdoc/>
    public override string ToString() => FormattableString.Invariant($"{Name}({Value})");
}
