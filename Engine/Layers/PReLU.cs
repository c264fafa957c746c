using Engine.Kernels;

namespace Engine.Layers;

/// <summary>
/// Parametric ReLU (He et al. 2015, "Delving Deep into Rectifiers"): y = x for x &gt; 0, a·x otherwise,
/// with a learned slope a, either one shared by all units (<c>numParameters = 1</c>) or one per unit.
/// ∂L/∂a = Σ over x ≤ 0 of x·dy. The slope starts at 0.25 and is excluded from weight decay.
/// </summary>
public sealed class PReLU<T> : Layer<T>, IActivationLayer where T : unmanaged, IFloatingPointIeee754<T>
{
    private Matrix<T>? _input;     // x: (batch, units)
    private Matrix<T>? _output;    // y: (batch, units)
    private Matrix<T>? _gradInput; // dx: (batch, units)
    private Matrix<T>? _slopeTerms; // x·dy where x ≤ 0: (batch, units)
    private readonly Parameter<T>[] _parameters;

    /// <summary>Creates the layer with <paramref name="numParameters"/> slopes (1 or the unit count), each <paramref name="init"/>.</summary>
    public PReLU(int numParameters = 1, double init = 0.25)
    {
        Check.Positive(numParameters, nameof(numParameters));
        if (!double.IsFinite(init))
            throw new ArgumentOutOfRangeException(nameof(init), init, "init must be a finite number.");
        InitialSlope = init;
        Slope = new Parameter<T>("weight", numParameters, weightDecay: false);
        Slope.Value.AsSpan().Fill(T.CreateChecked(init));
        _parameters = [Slope];
    }

    /// <inheritdoc/>
    public override string Name => "PReLU";

    /// <inheritdoc/>
    public Activation Kind => Activation.PReLU;

    /// <summary>The initial slope; the gain of the layer before is computed from it.</summary>
    public double InitialSlope { get; }

    /// <inheritdoc/>
    public double NegativeSlope => InitialSlope;

    /// <inheritdoc/>
    public bool IsRectifier => true;

    /// <summary>a: (1, numParameters); named "weight" as in PyTorch's nn.PReLU.</summary>
    public Parameter<T> Slope { get; }

    /// <summary>1 for a shared slope, else the number of units.</summary>
    public int NumParameters => Slope.Value.Cols;

    /// <inheritdoc/>
    public override IReadOnlyList<Parameter<T>> Parameters => _parameters;

    /// <inheritdoc/>
    public override int? RequiredInputFeatures => NumParameters > 1 ? NumParameters : null;

    /// <inheritdoc/>
    public override LayerSpec Spec => new(Name, Slope: InitialSlope, NumParameters: NumParameters);

    /// <inheritdoc/>
    public override Matrix<T> Forward(Matrix<T> input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (NumParameters != 1)
            Check.Columns(input, NumParameters, nameof(input));
        _input = input;
        var y = Matrix<T>.Reuse(ref _output, input.Rows, input.Cols);
        if (NumParameters == 1)
        {
            Elementwise.Apply(input.AsSpan(), input.AsSpan(), y.AsSpan(), new LeakyReluForward<T>(Slope.Value[0, 0]));
        }
        else
        {
            ReadOnlySpan<T> a = Slope.Value.AsSpan();
            for (int i = 0; i < input.Rows; i++)
                Elementwise.Apply(input.Row(i), a, y.Row(i), new PReluForward<T>());
        }
        return y;
    }

    /// <inheritdoc/>
    public override Matrix<T>? Backward(Matrix<T> gradOutput, bool computeInputGrad = true)
    {
        CheckGradient(_output, gradOutput, Name);
        var x = _input!;
        // da += Σ x·dy over x ≤ 0 (per unit, or over everything for a shared slope)
        var terms = Matrix<T>.Reuse(ref _slopeTerms, x.Rows, x.Cols);
        Elementwise.Apply(x.AsSpan(), gradOutput.AsSpan(), terms.AsSpan(), new PReluSlopeGradient<T>());
        if (NumParameters == 1)
            Slope.Grad[0, 0] += TensorPrimitives.Sum<T>(terms.AsSpan());
        else
            Reductions.ColumnSums(Slope.Grad.AsSpan(), terms.AsSpan(), x.Rows, x.Cols, accumulate: true);

        if (!computeInputGrad)
            return null;
        var dx = Matrix<T>.Reuse(ref _gradInput, x.Rows, x.Cols);
        if (NumParameters == 1)
        {
            Elementwise.Apply(x.AsSpan(), gradOutput.AsSpan(), dx.AsSpan(), new LeakyReluBackward<T>(Slope.Value[0, 0]));
        }
        else
        {
            ReadOnlySpan<T> a = Slope.Value.AsSpan();
            for (int i = 0; i < x.Rows; i++)
                Elementwise.Apply(x.Row(i), gradOutput.Row(i), a, dx.Row(i), new PReluBackward<T>());
        }
        return dx;
    }

    /// <inheritdoc/>
    public override string ToString() => $"PReLU({NumParameters})";
}
