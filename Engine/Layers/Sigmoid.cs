using Engine.Kernels;

namespace Engine.Layers;

/// <summary>Logistic sigmoid: y = 1 / (1 + e⁻ˣ); dx = dy · y · (1 − y).</summary>
public sealed class Sigmoid<T> : ElementwiseActivation<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>The layer.</summary>
    public Sigmoid() : base("Sigmoid", Activation.Sigmoid, isRectifier: false)
    {
    }

    /// <inheritdoc/>
    protected override void Apply(ReadOnlySpan<T> x, Span<T> y) => TensorPrimitives.Sigmoid(x, y);

    /// <inheritdoc/>
    protected override void Derivative(ReadOnlySpan<T> x, ReadOnlySpan<T> y, ReadOnlySpan<T> dy, Span<T> dx) =>
        Elementwise.Apply(y, dy, dx, new SigmoidBackward<T>());
}
