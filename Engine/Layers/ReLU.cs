using Engine.Kernels;

namespace Engine.Layers;

/// <summary>Rectified linear unit: y = max(0, x); dx = dy · [y &gt; 0].</summary>
public sealed class ReLU<T> : ElementwiseActivation<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>The layer.</summary>
    public ReLU() : base("ReLU", Activation.ReLU, isRectifier: true)
    {
    }

    /// <inheritdoc/>
    protected override void Apply(ReadOnlySpan<T> x, Span<T> y) => TensorPrimitives.Max(x, T.Zero, y);

    /// <inheritdoc/>
    protected override void Derivative(ReadOnlySpan<T> x, ReadOnlySpan<T> y, ReadOnlySpan<T> dy, Span<T> dx) =>
        Elementwise.Apply(y, dy, dx, new ReluBackward<T>());
}
