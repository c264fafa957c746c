namespace Engine.Layers;

/// <summary>
/// An element-wise activation y = f(x) without parameters. Forward keeps references to x (which the layer
/// contract leaves unchanged until Backward) and y, so a subclass writes its derivative from whichever is
/// cheaper: the output (ReLU: [y &gt; 0], sigmoid: y(1 − y), tanh: 1 − y², ELU, SELU) or the input (Leaky ReLU,
/// GELU, SiLU). Subclasses give the forward map and the backward kernel; the buffers and checks live here once.
/// </summary>
public abstract class ElementwiseActivation<T> : Layer<T>, IActivationLayer where T : unmanaged, IFloatingPointIeee754<T>
{
    private Matrix<T>? _input;     // x: (batch, units), the last Forward's input
    private Matrix<T>? _output;    // y: (batch, units)
    private Matrix<T>? _gradInput; // dx: (batch, units)

    /// <summary>The layer's type name, which <see cref="Activation"/> it is, and whether it is rectifier-like.</summary>
    private protected ElementwiseActivation(string name, Activation kind, bool isRectifier)
    {
        Name = name;
        Kind = kind;
        IsRectifier = isRectifier;
    }

    /// <inheritdoc/>
    public sealed override string Name { get; }

    /// <inheritdoc/>
    public Activation Kind { get; }

    /// <inheritdoc/>
    public virtual double NegativeSlope => 0;

    /// <inheritdoc/>
    public bool IsRectifier { get; }

    /// <inheritdoc/>
    public override Matrix<T> Forward(Matrix<T> input)
    {
        ArgumentNullException.ThrowIfNull(input);
        _input = input;
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
        Derivative(_input!.AsSpan(), _output!.AsSpan(), gradOutput.AsSpan(), dx.AsSpan());
        return dx;
    }

    /// <summary>y = f(x).</summary>
    protected abstract void Apply(ReadOnlySpan<T> x, Span<T> y);

    /// <summary>dx = dy · f′(x), with f′ written in terms of x or of y = f(x), as the subclass prefers.</summary>
    protected abstract void Derivative(ReadOnlySpan<T> x, ReadOnlySpan<T> y, ReadOnlySpan<T> dy, Span<T> dx);
}
