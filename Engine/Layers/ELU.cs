using System.Numerics;
using System.Numerics.Tensors;
using Engine.Kernels;

namespace Engine.Layers;

/// <summary>
/// Exponential linear unit with α = 1 (Clevert, Unterthiner &amp; Hochreiter, "Fast and Accurate Deep Network
/// Learning by Exponential Linear Units", ICLR 2016; torch.nn.ELU): y = x for x &gt; 0, α(eˣ − 1) otherwise;
/// dx = dy for y &gt; 0, (y + α)·dy otherwise. Rectifier-like, so the layer before defaults to He normal.
/// </summary>
public sealed class ELU<T> : ElementwiseActivation<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>α, the negative saturation value.</summary>
    public const double Alpha = 1.0;

    private static readonly T AlphaT = T.CreateChecked(Alpha);

    /// <inheritdoc/>
    public override string Name => "ELU";

    /// <inheritdoc/>
    public override Activation Kind => Activation.ELU;

    /// <inheritdoc/>
    public override bool IsRectifier => true;

    /// <inheritdoc/>
    protected override void Apply(ReadOnlySpan<T> x, Span<T> y)
    {
        TensorPrimitives.ExpM1(x, y); // eˣ − 1 without cancellation near 0
        Elementwise.Apply(x, y, y, new ExpLinearForward<T>(T.One, AlphaT));
    }

    /// <inheritdoc/>
    protected override void Derivative(ReadOnlySpan<T> x, ReadOnlySpan<T> y, ReadOnlySpan<T> dy, Span<T> dx) =>
        Elementwise.Apply(y, dy, dx, new ExpLinearBackward<T>(T.One, AlphaT));
}
