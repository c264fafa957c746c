using Engine.Initializers;
using Engine.Kernels;

namespace Engine.Layers;

/// <summary>
/// Fully connected layer: Y = X·Wᵀ + b, with W of shape (out, in) as in PyTorch's nn.Linear.
/// Weights are initialized by <see cref="WeightInitializer"/> or, when null, by the default for the
/// activation that follows (He for the ReLU family, Xavier otherwise); biases start at zero unless
/// <see cref="BiasInitializer"/> says otherwise, or the weight scheme implies a bias rule
/// (<see cref="Initializer.ImpliedBias"/>: <see cref="TorchDefault"/> draws the bias as PyTorch's nn.Linear does).
/// </summary>
public sealed class Dense<T> : Layer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private Matrix<T>? _input;   // x: (batch, in), the last Forward's input
    private Matrix<T>? _output;  // y: (batch, out)
    private Matrix<T>? _gradInput; // dx: (batch, in)
    private readonly Parameter<T>[] _parameters;

    /// <summary>A layer mapping <paramref name="inFeatures"/> to <paramref name="outFeatures"/>.</summary>
    public Dense(int inFeatures, int outFeatures, IInitializer? weightInitializer = null, IInitializer? biasInitializer = null)
    {
        Check.Positive(inFeatures, nameof(inFeatures));
        Check.Positive(outFeatures, nameof(outFeatures));
        InFeatures = inFeatures;
        OutFeatures = outFeatures;
        WeightInitializer = weightInitializer;
        BiasInitializer = biasInitializer;
        Weight = new Parameter<T>("weight", outFeatures, inFeatures, weightDecay: true);
        Bias = new Parameter<T>("bias", outFeatures, weightDecay: false);
        _parameters = [Weight, Bias];
    }

    /// <inheritdoc/>
    public override string Name => "Dense";

    /// <summary>Input features.</summary>
    public int InFeatures { get; }

    /// <summary>Output features.</summary>
    public int OutFeatures { get; }

    /// <summary>W: (out, in).</summary>
    public Parameter<T> Weight { get; }

    /// <summary>b: (1, out).</summary>
    public Parameter<T> Bias { get; }

    /// <summary>The weight initializer, or null for the default that follows from the next activation.</summary>
    public IInitializer? WeightInitializer { get; set; }

    /// <summary>The bias initializer, or null for the weight scheme's <see cref="Initializer.ImpliedBias"/> (zeros for all but <see cref="TorchDefault"/>).</summary>
    public IInitializer? BiasInitializer { get; set; }

    /// <inheritdoc/>
    public override IReadOnlyList<Parameter<T>> Parameters => _parameters;

    /// <inheritdoc/>
    public override int OutputFeatures(int inputFeatures) => OutFeatures;

    /// <inheritdoc/>
    public override int? RequiredInputFeatures => InFeatures;

    /// <inheritdoc/>
    public override LayerSpec Spec => new(Name, InFeatures, OutFeatures);

    /// <summary>
    /// Draws new weights and biases. <paramref name="next"/> is the activation after this layer and
    /// <paramref name="negativeSlope"/> its slope; they pick the default initializer and its gain.
    /// </summary>
    public void ResetParameters(Rng rng, Activation next = Activation.Identity, double negativeSlope = 0)
    {
        ArgumentNullException.ThrowIfNull(rng);
        var weightInit = WeightInitializer ?? Initializer.DefaultFor(next);
        Fill(Weight.Value, weightInit, new InitContext(OutFeatures, InFeatures, next, negativeSlope, rng));
        // A scheme that stands for a whole layer's convention (torch-default) carries its bias rule.
        var biasInit = BiasInitializer ?? (weightInit as Initializer)?.ImpliedBias;
        if (biasInit is null)
            Bias.Value.Clear();
        else
            Fill(Bias.Value, biasInit, new InitContext(1, OutFeatures, next, negativeSlope, rng) { LayerFanIn = InFeatures });
    }

    /// <inheritdoc/>
    public override Matrix<T> Forward(Matrix<T> input)
    {
        ArgumentNullException.ThrowIfNull(input);
        Check.Columns(input, InFeatures, nameof(input));
        _input = input;
        var y = Matrix<T>.Reuse(ref _output, input.Rows, OutFeatures);
        // y = x·Wᵀ + b
        Gemm.Linear(y.AsSpan(), input.AsSpan(), Weight.Value.AsSpan(), Bias.Value.AsSpan(), input.Rows, InFeatures, OutFeatures);
        return y;
    }

    /// <inheritdoc/>
    public override Matrix<T>? Backward(Matrix<T> gradOutput, bool computeInputGrad = true)
    {
        CheckGradient(_output, gradOutput, Name);
        var x = _input!;
        int batch = x.Rows;
        // dW += dYᵀ·X : (out, batch)·(batch, in)
        Gemm.MatMulTransA(Weight.Grad.AsSpan(), gradOutput.AsSpan(), x.AsSpan(), OutFeatures, batch, InFeatures, accumulate: true);
        // db += Σrows dY
        Reductions.ColumnSums(Bias.Grad.AsSpan(), gradOutput.AsSpan(), batch, OutFeatures, accumulate: true);
        if (!computeInputGrad)
            return null;
        // dX = dY·W : (batch, out)·(out, in)
        var dx = Matrix<T>.Reuse(ref _gradInput, batch, InFeatures);
        Gemm.MatMul(dx.AsSpan(), gradOutput.AsSpan(), Weight.Value.AsSpan(), batch, OutFeatures, InFeatures);
        return dx;
    }

    private static void Fill(Matrix<T> target, IInitializer init, InitContext context)
    {
        var values = new double[target.Length];
        init.Initialize(values, context);
        var span = target.AsSpan();
        for (int i = 0; i < values.Length; i++)
        {
            if (!double.IsFinite(values[i]))
                throw new InvalidOperationException($"Initializer {init.GetType().Name} produced a non-finite value ({values[i]}) at index {i}.");
            span[i] = T.CreateChecked(values[i]);
        }
    }

    /// <inheritdoc/>
    public override string ToString() => $"Dense({InFeatures} → {OutFeatures})";
}
