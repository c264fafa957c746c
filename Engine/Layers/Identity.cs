namespace Engine.Layers;

/// <summary>y = x; dx = dy. Passes its input and gradient through without copying.</summary>
public sealed class Identity<T> : Layer<T>, IActivationLayer where T : unmanaged, IFloatingPointIeee754<T>
{
    private Matrix<T>? _output;

    /// <inheritdoc/>
    public override string Name => "Identity";

    /// <inheritdoc/>
    public Activation Kind => Activation.Identity;

    /// <inheritdoc/>
    public double NegativeSlope => 0;

    /// <inheritdoc/>
    public bool IsRectifier => false;

    /// <inheritdoc/>
    public override Matrix<T> Forward(Matrix<T> input)
    {
        ArgumentNullException.ThrowIfNull(input);
        _output = input;
        return input;
    }

    /// <inheritdoc/>
    public override Matrix<T>? Backward(Matrix<T> gradOutput, bool computeInputGrad = true)
    {
        CheckGradient(_output, gradOutput, Name);
        return computeInputGrad ? gradOutput : null;
    }
}
