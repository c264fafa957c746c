using System.Numerics;

namespace Engine.Layers;

/// <summary>
/// An element-wise activation whose derivative is a function of its output y = f(x) (ReLU: [y &gt; 0],
/// sigmoid: y(1 − y), tanh: 1 − y²), so it keeps y rather than x for the backward pass. Subclasses give
/// the forward map and the backward kernel; the buffers and checks live here once.
/// </summary>
public abstract class OutputActivation<T> : Layer<T>, IActivationLayer where T : unmanaged, IFloatingPointIeee754<T>
{
    private Matrix<T>? _output;    // y: (batch, units)
    private Matrix<T>? _gradInput; // dx: (batch, units)

    /// <inheritdoc/>
    public abstract Activation Kind { get; }

    /// <inheritdoc/>
    public double NegativeSlope => 0;

    /// <inheritdoc/>
    public override Matrix<T> Forward(Matrix<T> input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var y = Matrix<T>.Reuse(ref _output, input.Rows, input.Cols);
        Apply(input.AsSpan(), y.AsSpan());
        return y;
    }

    /// <inheritdoc/>
    public override Matrix<T>? Backward(Matrix<T> gradOutput, bool computeInputGrad = true)
    {
        CheckGradient(_output, gradOutput, Name);
        if (!computeInputGrad)
            return null;
        var dx = Matrix<T>.Reuse(ref _gradInput, gradOutput.Rows, gradOutput.Cols);
        Derivative(_output!.AsSpan(), gradOutput.AsSpan(), dx.AsSpan());
        return dx;
    }

    /// <summary>y = f(x).</summary>
    protected abstract void Apply(ReadOnlySpan<T> x, Span<T> y);

    /// <summary>dx = dy · f′, with f′ written in terms of y.</summary>
    protected abstract void Derivative(ReadOnlySpan<T> y, ReadOnlySpan<T> dy, Span<T> dx);
}
