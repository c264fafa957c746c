using System.Numerics;
using System.Numerics.Tensors;
using Engine.Kernels;

namespace Engine.Layers;

/// <summary>Logistic sigmoid: y = 1 / (1 + e⁻ˣ); dx = dy · y · (1 − y).</summary>
public sealed class Sigmoid<T> : Layer<T>, IActivationLayer where T : unmanaged, IFloatingPointIeee754<T>
{
    private Matrix<T>? _output;
    private Matrix<T>? _gradInput;

    /// <inheritdoc/>
    public override string Name => "Sigmoid";

    /// <inheritdoc/>
    public Activation Kind => Activation.Sigmoid;

    /// <inheritdoc/>
    public double NegativeSlope => 0;

    /// <inheritdoc/>
    public override Matrix<T> Forward(Matrix<T> input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var y = Matrix<T>.Reuse(ref _output, input.Rows, input.Cols);
        TensorPrimitives.Sigmoid(input.AsSpan(), y.AsSpan());
        return y;
    }

    /// <inheritdoc/>
    public override Matrix<T>? Backward(Matrix<T> gradOutput, bool computeInputGrad = true)
    {
        CheckGradient(_output, gradOutput, Name);
        if (!computeInputGrad)
            return null;
        var dx = Matrix<T>.Reuse(ref _gradInput, gradOutput.Rows, gradOutput.Cols);
        Elementwise.Apply(_output!.AsSpan(), gradOutput.AsSpan(), dx.AsSpan(), new SigmoidBackward<T>());
        return dx;
    }
}
