namespace Engine.Tests.Training;

/// <summary>
/// LSUV's loop and its refusals, on one dense layer whose output variance is computed by hand: a layer already within
/// the tolerance is left bit for bit, one outside it is rescaled by 1/√Var; a layer with no variance to rescale, a
/// batch too small, a tolerance out of (0, 1) and missing arguments are refused, the model untouched.
/// </summary>
public class LsuvRescaleTests
{
    private static readonly Matrix<float> Batch = Samples.StandardNormal(40, 3, seed: 8);

    /// <summary>Var over every output of x·Wᵀ (no bias), in double.</summary>
    private static double OutputVariance(Dense<float> dense, Matrix<float> x)
    {
        var values = new List<double>();
        for (int i = 0; i < x.Rows; i++)
        {
            for (int o = 0; o < dense.OutFeatures; o++)
            {
                double s = 0;
                for (int k = 0; k < dense.InFeatures; k++)
                    s += (double)dense.Weight.Value[o, k] * x[i, k];
                values.Add(s);
            }
        }
        double mean = values.Average();
        return values.Average(v => (v - mean) * (v - mean));
    }

    /// <summary>A Dense(3 → 2) with zero bias whose output variance on <see cref="Batch"/> is <paramref name="variance"/>.</summary>
    private static Sequential<float> LayerWithVariance(double variance)
    {
        var dense = new Dense<float>(3, 2);
        var model = new Sequential<float>(dense);
        model.Initialize(4);
        dense.Bias.Value.AsSpan().Clear();
        float c = (float)Math.Sqrt(variance / OutputVariance(dense, Batch));
        TensorPrimitives.Multiply(dense.Weight.Value.AsSpan(), c, dense.Weight.Value.AsSpan());
        Assert.Equal(variance, OutputVariance(dense, Batch), 4);
        return model;
    }

    [Fact]
    public void ALayerWithinTheToleranceIsLeftAlone()
    {
        var model = LayerWithVariance(1.3);
        float[] before = model.Parameters[0].Value.AsSpan().ToArray();
        var reached = new Lsuv(tolerance: 0.5).Rescale(model, Batch);
        Assert.True(before.AsSpan().SequenceEqual(model.Parameters[0].Value.AsSpan()));
        Assert.Equal(OutputVariance((Dense<float>)model.Layers[0], Batch), Assert.Single(reached), 5);
    }

    [Fact]
    public void ALayerOutsideTheToleranceIsScaledByOneOverItsStandardDeviation()
    {
        var model = LayerWithVariance(1.3);
        float[] before = model.Parameters[0].Value.AsSpan().ToArray();
        var reached = new Lsuv(tolerance: 0.2).Rescale(model, Batch);
        var after = model.Parameters[0].Value.AsSpan();
        for (int i = 0; i < before.Length; i++)
            Assert.Equal(before[i] / Math.Sqrt(1.3), after[i], 5);
        Assert.Equal(1.0, Assert.Single(reached), 4);
    }

    [Fact]
    public void ALayerWithNoVarianceToRescaleIsRefusedByName()
    {
        var zero = LayerWithVariance(1.3);
        zero.Parameters[0].Value.AsSpan().Clear();
        var ex = Assert.Throws<InvalidOperationException>(() => new Lsuv().Rescale(zero, Batch));
        Assert.StartsWith("LSUV: layer 0 (Dense(3 → 2)) has output variance 0 on the calibration batch", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ANaNVarianceIsRefusedNotReturnedAsConverged()
    {
        // NaN is never within the tolerance; the loop used to test |Var − 1| ≥ tolerance, false for NaN, and return it.
        var nan = Batch.Clone();
        nan[5, 1] = float.NaN;
        var ex = Assert.Throws<InvalidOperationException>(() => new Lsuv().Rescale(LayerWithVariance(1.3), nan));
        Assert.StartsWith("LSUV: layer 0 (Dense(3 → 2)) has output variance NaN on the calibration batch", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void BatchesOfFewerThanTwoRowsAreRefusedAndTheModelIsUntouched()
    {
        var model = Mlp.Create(3, [4], 2, seed: 1);
        float[][] before = [.. model.Parameters.Select(p => p.Value.AsSpan().ToArray())];
        var one = new Matrix<float>(1, 3, [1f, 2f, 3f]);
        var ex = Assert.Throws<ArgumentException>(() => new Lsuv().Apply(model, one, new Rng(1)));
        Assert.StartsWith("LSUV needs a calibration batch of at least 2 rows, got 1.", ex.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => new Lsuv().Rescale(model, one));
        for (int i = 0; i < before.Length; i++)
            Assert.True(before[i].AsSpan().SequenceEqual(model.Parameters[i].Value.AsSpan()), $"parameter {i}");
        // two rows are enough
        Assert.Equal(2, new Lsuv(tolerance: 0.5).Apply(model, new Matrix<float>(2, 3, [1f, 2f, 3f, -1f, 0.5f, 2f]), new Rng(1)).Count);
    }

    [Fact]
    public void ToleranceMustBeInsideZeroToOne()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new Lsuv(tolerance: 1));
        Assert.StartsWith("tolerance must be in (0, 1).", ex.Message, StringComparison.Ordinal);
        Assert.Equal(0.999, new Lsuv(tolerance: 0.999).Tolerance);
    }

    [Fact]
    public void TheCalibrationBatchIsTheFirstRowsCopied()
    {
        var inputs = new Matrix<float>(5, 3, [.. Enumerable.Range(0, 15).Select(i => (float)i)]);
        var two = Lsuv.CalibrationBatch(inputs, 2);
        Assert.Equal((2, 3), (two.Rows, two.Cols));
        Assert.Equal([0f, 1f, 2f, 3f, 4f, 5f], two.AsSpan().ToArray());
        var all = Lsuv.CalibrationBatch(inputs);
        Assert.Equal(inputs.AsSpan().ToArray(), all.AsSpan().ToArray());
        all[0, 0] = 99;
        Assert.Equal(0f, inputs[0, 0]);
        Assert.Throws<ArgumentOutOfRangeException>(() => Lsuv.CalibrationBatch(inputs, 0));
    }

    [Fact]
    public void MissingArgumentsAreNamed()
    {
        var model = Mlp.Create(3, [4], 2, seed: 1);
        var lsuv = new Lsuv();
        Assert.Equal("model", Assert.Throws<ArgumentNullException>(() => lsuv.Apply(null!, Batch, new Rng(1))).ParamName);
        Assert.Equal("batch", Assert.Throws<ArgumentNullException>(() => lsuv.Apply(model, null!, new Rng(1))).ParamName);
        Assert.Equal("rng", Assert.Throws<ArgumentNullException>(() => lsuv.Apply(model, Batch, null!)).ParamName);
        Assert.Equal("model", Assert.Throws<ArgumentNullException>(() => lsuv.Rescale(null!, Batch)).ParamName);
        Assert.Equal("batch", Assert.Throws<ArgumentNullException>(() => lsuv.Rescale(model, null!)).ParamName);
        Assert.Equal("inputs", Assert.Throws<ArgumentNullException>(() => Lsuv.CalibrationBatch(null!)).ParamName);
        Assert.Equal("model", Assert.Throws<ArgumentNullException>(() => Lsuv.DenseOutputVariances(null!, Batch)).ParamName);
        Assert.Equal("batch", Assert.Throws<ArgumentNullException>(() => Lsuv.DenseOutputVariances(model, null!)).ParamName);
    }
}
