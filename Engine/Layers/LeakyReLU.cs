using Engine.Kernels;

namespace Engine.Layers;

/// <summary>Leaky ReLU with a fixed negative slope a (default 0.01): y = x for x &gt; 0, a·x otherwise; dx = dy or a·dy by the sign of x.</summary>
public sealed class LeakyReLU<T> : ElementwiseActivation<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T _slope;

    /// <summary>Creates the layer; <paramref name="negativeSlope"/> must be finite.</summary>
    public LeakyReLU(double negativeSlope = 0.01) : base("LeakyReLU", Activation.LeakyReLU, isRectifier: true)
    {
        if (!double.IsFinite(negativeSlope))
            throw new ArgumentOutOfRangeException(nameof(negativeSlope), negativeSlope, "negativeSlope must be a finite number.");
        NegativeSlope = negativeSlope;
        _slope = T.CreateChecked(negativeSlope);
    }

    /// <inheritdoc/>
    public override double NegativeSlope { get; }

    /// <inheritdoc/>
    public override LayerSpec Spec => new(Name, Slope: NegativeSlope);

    /// <inheritdoc/>
    protected override void Apply(ReadOnlySpan<T> x, Span<T> y) => Elementwise.Apply(x, x, y, new LeakyReluForward<T>(_slope));

    // The sign of x, not of y, picks the branch: with a ≤ 0 the output's sign says nothing.
    /// <inheritdoc/>
    protected override void Derivative(ReadOnlySpan<T> x, ReadOnlySpan<T> y, ReadOnlySpan<T> dy, Span<T> dx) =>
        Elementwise.Apply(x, dy, dx, new LeakyReluBackward<T>(_slope));

    /// <inheritdoc/>
    public override string ToString() => $"LeakyReLU({NegativeSlope})";
}
