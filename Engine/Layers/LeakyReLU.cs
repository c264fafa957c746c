using System.Numerics;
using Engine.Kernels;

namespace Engine.Layers;

/// <summary>Leaky ReLU with a fixed negative slope a (default 0.01): y = x for x &gt; 0, a·x otherwise.</summary>
public sealed class LeakyReLU<T> : Layer<T>, IActivationLayer where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T _slope;
    private Matrix<T>? _input;
    private Matrix<T>? _output;
    private Matrix<T>? _gradInput;

    /// <summary>Creates the layer; <paramref name="negativeSlope"/> must be finite.</summary>
    public LeakyReLU(double negativeSlope = 0.01)
    {
        if (!double.IsFinite(negativeSlope))
            throw new ArgumentOutOfRangeException(nameof(negativeSlope), negativeSlope, "negativeSlope must be a finite number.");
        NegativeSlope = negativeSlope;
        _slope = T.CreateChecked(negativeSlope);
    }

    /// <inheritdoc/>
    public override string Name => "LeakyReLU";

    /// <inheritdoc/>
    public Activation Kind => Activation.LeakyReLU;

    /// <inheritdoc/>
    public double NegativeSlope { get; }

    /// <inheritdoc/>
    public override Matrix<T> Forward(Matrix<T> input)
    {
        ArgumentNullException.ThrowIfNull(input);
        _input = input;
        var y = Matrix<T>.Reuse(ref _output, input.Rows, input.Cols);
        Elementwise.Apply(input.AsSpan(), input.AsSpan(), y.AsSpan(), new LeakyReluForward<T>(_slope));
        return y;
    }

    /// <inheritdoc/>
    public override Matrix<T>? Backward(Matrix<T> gradOutput, bool computeInputGrad = true)
    {
        CheckGradient(_output, gradOutput, Name);
        if (!computeInputGrad)
            return null;
        var dx = Matrix<T>.Reuse(ref _gradInput, gradOutput.Rows, gradOutput.Cols);
        // dx = dy for x > 0, a·dy otherwise
        Elementwise.Apply(_input!.AsSpan(), gradOutput.AsSpan(), dx.AsSpan(), new LeakyReluBackward<T>(_slope));
        return dx;
    }

    /// <inheritdoc/>
    public override string ToString() => $"LeakyReLU({NegativeSlope})";
}
