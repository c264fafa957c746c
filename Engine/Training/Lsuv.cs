using Engine.Diagnostics;
using Engine.Initializers;
using Engine.Layers;

namespace Engine.Training;

/// <summary>
/// Layer-sequential unit-variance initialization (Mishkin &amp; Matas 2016, "All you need is a good init"):
/// a data-dependent procedure over a whole network, hence here and not among the per-tensor initializers:
/// every dense layer starts orthogonal, then, from the first layer to the last, its weights are rescaled
/// by 1/√Var(output) on a calibration batch until the variance of its output (the pre-activation) is 1
/// within <see cref="Tolerance"/>, or <see cref="MaxIterations"/> have run. Data-driven, so it needs a batch:
/// call <see cref="Apply"/> after building the model.
/// </summary>
public sealed class Lsuv
{
    /// <summary>The tolerance of Mishkin &amp; Matas' Algorithm 1 (Tol_var = 0.1), the default of <c>mlp train --init lsuv</c>.</summary>
    public const double PaperTolerance = 0.1;

    /// <summary>Rows of the calibration batch <see cref="CalibrationBatch"/> takes at most.</summary>
    public const int CalibrationRows = 1000;

    /// <summary>Creates the scheme.</summary>
    /// <param name="tolerance">|Var − 1| below which a layer is done; the paper uses <see cref="PaperTolerance"/>.</param>
    /// <param name="maxIterations">Rescalings per layer at most.</param>
    public Lsuv(double tolerance = 0.02, int maxIterations = 10)
    {
        if (!(tolerance > 0 && tolerance < 1))
            throw new ArgumentOutOfRangeException(nameof(tolerance), tolerance, "tolerance must be in (0, 1).");
        Check.Positive(maxIterations, nameof(maxIterations));
        Tolerance = tolerance;
        MaxIterations = maxIterations;
    }

    /// <summary>|Var − 1| below which a layer is done.</summary>
    public double Tolerance { get; }

    /// <summary>Rescalings per layer at most.</summary>
    public int MaxIterations { get; }

    /// <summary>
    /// Initializes every dense layer of <paramref name="model"/> orthogonally from <paramref name="rng"/>
    /// (biases zero), then rescales layer by layer on <paramref name="batch"/> (<see cref="Rescale"/>). Returns each
    /// dense layer's final output variance, in order.
    /// </summary>
    public IReadOnlyList<double> Apply(Sequential<float> model, Matrix<float> batch, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(rng);
        RequireRows(batch);
        foreach (var dense in model.Layers.Select(DenseOf).OfType<Dense<float>>())
        {
            dense.WeightInitializer = new Orthogonal();
            dense.BiasInitializer = new Zeros();
        }
        model.Initialize(rng);
        return Rescale(model, batch);
    }

    /// <summary>
    /// The data-driven half alone, on weights already drawn (the paper's pre-initialization is orthogonal; any
    /// other draw is rescaled the same way): from the first dense layer (or <see cref="OneHotDense{T}"/>) to the last,
    /// its weights are multiplied by 1/√Var(output) on <paramref name="batch"/> until |Var − 1| &lt; <see cref="Tolerance"/>
    /// or <see cref="MaxIterations"/> have run. Biases are left as they are (zero after an ordinary initialization).
    /// Returns each dense layer's final output variance on the batch, in order.
    /// </summary>
    /// <exception cref="ArgumentException">A batch of fewer than 2 rows.</exception>
    /// <exception cref="InvalidOperationException">A layer whose output has zero or non-finite variance on the batch.</exception>
    public IReadOnlyList<double> Rescale(Sequential<float> model, Matrix<float> batch)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(batch);
        RequireRows(batch);
        var layers = model.Layers;
        var variances = new List<double>();
        var x = batch;
        for (int i = 0; i < layers.Count; i++)
        {
            if (DenseOf(layers[i]) is { } dense)
            {
                double variance = OutputVariance(layers[i], x);
                // Written as "not within": a NaN variance is not, and is refused below rather than returned as converged.
                for (int it = 0; it < MaxIterations && !(Math.Abs(variance - 1) < Tolerance); it++)
                {
                    if (variance <= 0 || !double.IsFinite(variance))
                        throw new InvalidOperationException($"LSUV: layer {i} ({layers[i]}) has output variance {variance} on the calibration batch; it cannot be rescaled to 1.");
                    // Var(c·W·x) = c²·Var(W·x) with zero bias, so c = 1/√Var lands on 1 up to the batch's noise.
                    TensorPrimitives.Multiply(dense.Weight.Value.AsSpan(), (float)(1 / Math.Sqrt(variance)), dense.Weight.Value.AsSpan());
                    variance = OutputVariance(layers[i], x);
                }
                variances.Add(variance);
            }
            x = layers[i].Forward(x);
        }
        return variances;
    }

    /// <summary>The first min(<see cref="CalibrationRows"/>, rows) rows of <paramref name="inputs"/>, copied: the batch LSUV calibrates on.</summary>
    public static Matrix<float> CalibrationBatch(Matrix<float> inputs, int rows = CalibrationRows)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        Check.Positive(rows, nameof(rows));
        int n = Math.Min(rows, inputs.Rows);
        var batch = new Matrix<float>(n, inputs.Cols);
        inputs.AsSpan()[..(n * inputs.Cols)].CopyTo(batch.AsSpan());
        return batch;
    }

    /// <summary>The output variance of every dense layer of <paramref name="model"/> on <paramref name="batch"/>, in order: what <see cref="Rescale"/> brings to 1, measured on any rows.</summary>
    public static IReadOnlyList<double> DenseOutputVariances(Sequential<float> model, Matrix<float> batch)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(batch);
        var variances = new List<double>();
        var x = batch;
        foreach (var layer in model.Layers)
        {
            x = layer.Forward(x);
            if (DenseOf(layer) is not null)
            {
                double std = Statistics.MeanStd(x.AsSpan()).Std;
                variances.Add(std * std);
            }
        }
        return variances;
    }

    private static Dense<float>? DenseOf(Layer<float> layer) => layer as Dense<float> ?? (layer as OneHotDense<float>)?.Dense;

    private static void RequireRows(Matrix<float> batch)
    {
        if (batch.Rows < 2)
            throw new ArgumentException($"LSUV needs a calibration batch of at least 2 rows, got {batch.Rows}.", nameof(batch));
    }

    private static double OutputVariance(Layer<float> layer, Matrix<float> input)
    {
        double std = Statistics.MeanStd(layer.Forward(input).AsSpan()).Std;
        return std * std;
    }
}
