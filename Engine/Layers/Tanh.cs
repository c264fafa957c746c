using Engine.Kernels;

namespace Engine.Layers;

/// <summary>Hyperbolic tangent: y = tanh(x); dx = dy · (1 − y²).</summary>
public sealed class Tanh<T> : ElementwiseActivation<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>The layer.</summary>
    public Tanh() : base("Tanh", Activation.Tanh, isRectifier: false)
    {
    }

    /// <inheritdoc/>
    protected override void Apply(ReadOnlySpan<T> x, Span<T> y) => TensorPrimitives.Tanh(x, y);

    /// <inheritdoc/>
    protected override void Derivative(ReadOnlySpan<T> x, ReadOnlySpan<T> y, ReadOnlySpan<T> dy, Span<T> dx) =>
        Elementwise.Apply(y, dy, dx, new TanhBackward<T>());
}
