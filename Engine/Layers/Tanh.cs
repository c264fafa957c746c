using System.Numerics;
using System.Numerics.Tensors;
using Engine.Kernels;

namespace Engine.Layers;

/// <summary>Hyperbolic tangent: y = tanh(x); dx = dy · (1 − y²).</summary>
public sealed class Tanh<T> : Layer<T>, IActivationLayer where T : unmanaged, IFloatingPointIeee754<T>
{
    private Matrix<T>? _output;
    private Matrix<T>? _gradInput;

    /// <inheritdoc/>
    public override string Name => "Tanh";

    /// <inheritdoc/>
    public Activation Kind => Activation.Tanh;

    /// <inheritdoc/>
    public double NegativeSlope => 0;

    /// <inheritdoc/>
    public override Matrix<T> Forward(Matrix<T> input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var y = Matrix<T>.Reuse(ref _output, input.Rows, input.Cols);
        TensorPrimitives.Tanh(input.AsSpan(), y.AsSpan());
        return y;
    }

    /// <inheritdoc/>
    public override Matrix<T>? Backward(Matrix<T> gradOutput, bool computeInputGrad = true)
    {
        CheckGradient(_output, gradOutput, Name);
        if (!computeInputGrad)
            return null;
        var dx = Matrix<T>.Reuse(ref _gradInput, gradOutput.Rows, gradOutput.Cols);
        Elementwise.Apply(_output!.AsSpan(), gradOutput.AsSpan(), dx.AsSpan(), new TanhBackward<T>());
        return dx;
    }
}
