using System.Numerics;
using System.Numerics.Tensors;
using Engine.Kernels;

namespace Engine.Layers;

/// <summary>
/// Scaled exponential linear unit (Klambauer, Unterthiner, Mayr &amp; Hochreiter, "Self-Normalizing Neural
/// Networks", NeurIPS 2017; torch.nn.SELU): y = λx for x &gt; 0, λα(eˣ − 1) otherwise; dx = λ·dy for y &gt; 0,
/// (y + λα)·dy otherwise. With LeCun-normal weights (its default) activations keep mean 0 and variance 1 through depth.
/// </summary>
public sealed class SELU<T> : ElementwiseActivation<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>λ, the scale (the paper's and torch's constant).</summary>
    public const double Lambda = 1.0507009873554804934193349852946;

    /// <summary>α, the negative saturation before scaling (the paper's and torch's constant).</summary>
    public const double Alpha = 1.6732632423543772848170429916717;

    private static readonly T LambdaT = T.CreateChecked(Lambda);
    private static readonly T LambdaAlphaT = T.CreateChecked(Lambda * Alpha);

    /// <inheritdoc/>
    public override string Name => "SELU";

    /// <inheritdoc/>
    public override Activation Kind => Activation.SELU;

    /// <inheritdoc/>
    public override bool IsRectifier => true;

    /// <inheritdoc/>
    protected override void Apply(ReadOnlySpan<T> x, Span<T> y)
    {
        TensorPrimitives.ExpM1(x, y); // eˣ − 1 without cancellation near 0
        Elementwise.Apply(x, y, y, new ExpLinearForward<T>(LambdaT, LambdaAlphaT));
    }

    /// <inheritdoc/>
    protected override void Derivative(ReadOnlySpan<T> x, ReadOnlySpan<T> y, ReadOnlySpan<T> dy, Span<T> dx) =>
        Elementwise.Apply(y, dy, dx, new ExpLinearBackward<T>(LambdaT, LambdaAlphaT));
}
