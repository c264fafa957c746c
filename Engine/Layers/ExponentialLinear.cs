using Engine.Kernels;

namespace Engine.Layers;

/// <summary>
/// The exponential linear family: y = s·x for x &gt; 0, s·α·(eˣ − 1) otherwise; dx = s·dy for y &gt; 0,
/// (y + s·α)·dy otherwise (for x ≤ 0, d(s·α·(eˣ − 1))/dx = s·α·eˣ = y + s·α). <see cref="ELU{T}"/> is s = 1,
/// <see cref="SELU{T}"/> s = λ. Both are rectifier-like.
/// </summary>
public abstract class ExponentialLinear<T> : ElementwiseActivation<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T _scale, _scaledAlpha;

    private protected ExponentialLinear(string name, Activation kind, double scale, double alpha) : base(name, kind, isRectifier: true)
    {
        _scale = T.CreateChecked(scale);
        _scaledAlpha = T.CreateChecked(scale * alpha);
    }

    /// <inheritdoc/>
    protected override void Apply(ReadOnlySpan<T> x, Span<T> y)
    {
        TensorPrimitives.ExpM1(x, y); // eˣ − 1 without cancellation near 0
        Elementwise.Apply(x, y, y, new ExpLinearForward<T>(_scale, _scaledAlpha));
    }

    /// <inheritdoc/>
    protected override void Derivative(ReadOnlySpan<T> x, ReadOnlySpan<T> y, ReadOnlySpan<T> dy, Span<T> dx) =>
        Elementwise.Apply(y, dy, dx, new ExpLinearBackward<T>(_scale, _scaledAlpha));
}
