using Engine.Kernels;

namespace Engine.Layers;

/// <summary>
/// Sigmoid linear unit, also called swish (Elfwing, Uchibe &amp; Doya 2018; Ramachandran, Zoph &amp; Le 2017;
/// torch.nn.SiLU): y = x·σ(x); dx = dy·σ(x)·(1 + x·(1 − σ(x))). Rectifier-like, so the layer before defaults to He normal.
/// </summary>
public sealed class SiLU<T> : ElementwiseActivation<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>The layer.</summary>
    public SiLU() : base("SiLU", Activation.SiLU, isRectifier: true)
    {
    }

    /// <inheritdoc/>
    protected override void Apply(ReadOnlySpan<T> x, Span<T> y)
    {
        TensorPrimitives.Sigmoid(x, y);
        TensorPrimitives.Multiply(x, y, y);
    }

    /// <inheritdoc/>
    protected override void Derivative(ReadOnlySpan<T> x, ReadOnlySpan<T> y, ReadOnlySpan<T> dy, Span<T> dx)
    {
        TensorPrimitives.Sigmoid(x, dx); // σ(x) again: y/x would divide by zero
        Elementwise.Apply(x, dx, dy, dx, new SiluBackward<T>());
    }
}
