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
    /// <summary>Creates the scheme.</summary>
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
    /// (biases zero), then rescales layer by layer on <paramref name="batch"/>. Returns each dense layer's
    /// final output variance, in order.
    /// </summary>
    public IReadOnlyList<double> Apply(Sequential<float> model, Matrix<float> batch, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(rng);
        if (batch.Rows < 2)
            throw new ArgumentException($"LSUV needs a calibration batch of at least 2 rows, got {batch.Rows}.", nameof(batch));
        var layers = model.Layers;
        foreach (var dense in layers.OfType<Dense<float>>())
        {
            dense.WeightInitializer = new Orthogonal();
            dense.BiasInitializer = null;
        }
        model.Initialize(rng);

        var variances = new List<double>();
        var x = batch;
        for (int i = 0; i < layers.Count; i++)
        {
            if (layers[i] is Dense<float> dense)
            {
                double variance = OutputVariance(dense, x);
                for (int it = 0; it < MaxIterations && Math.Abs(variance - 1) >= Tolerance; it++)
                {
                    if (variance <= 0 || !double.IsFinite(variance))
                        throw new InvalidOperationException($"LSUV: layer {i} ({dense}) has output variance {variance} on the calibration batch; it cannot be rescaled to 1.");
                    // Var(c·W·x) = c²·Var(W·x) with zero bias, so c = 1/√Var lands on 1 up to the batch's noise.
                    TensorPrimitives.Multiply(dense.Weight.Value.AsSpan(), (float)(1 / Math.Sqrt(variance)), dense.Weight.Value.AsSpan());
                    variance = OutputVariance(dense, x);
                }
                variances.Add(variance);
            }
            x = layers[i].Forward(x);
        }
        return variances;
    }

    private static double OutputVariance(Dense<float> dense, Matrix<float> input)
    {
        double std = Statistics.MeanStd(dense.Forward(input).AsSpan()).Std;
        return std * std;
    }
}
