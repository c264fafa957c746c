namespace Engine.Tests.Training;

public class LsuvTests
{
    [Theory]
    [InlineData(Activation.ReLU)]
    [InlineData(Activation.Tanh)]
    [InlineData(Activation.PReLU)]
    public void EveryLayerOutputHasUnitVarianceOnTheCalibrationBatch(Activation activation)
    {
        var rng = new Rng(3);
        var batch = new Matrix<float>(300, 40);
        for (int i = 0; i < batch.Length; i++)
            batch.AsSpan()[i] = (float)(5 * rng.NextNormal() + 2); // deliberately not unit scale
        var model = Mlp.Create(40, [.. Enumerable.Repeat(64, 12)], 10, activation, seed: 1);

        var lsuv = new Lsuv();
        var variances = lsuv.Apply(model, batch, new Rng(7));

        Assert.Equal(13, variances.Count);
        // Recompute independently of Lsuv's own bookkeeping.
        var x = batch;
        foreach (var layer in model.Layers)
        {
            x = layer.Forward(x);
            if (layer is Dense<float>)
            {
                double std = Engine.Diagnostics.Statistics.MeanStd(x.AsSpan()).Std;
                Assert.InRange(std * std, 1 - lsuv.Tolerance, 1 + lsuv.Tolerance); // what Lsuv promises: ±0.02
            }
        }
    }

    [Fact]
    public void StartsOrthogonal()
    {
        var model = Mlp.Create(8, [8], 8, seed: 1);
        var batch = new Matrix<float>(50, 8);
        var rng = new Rng(1);
        for (int i = 0; i < batch.Length; i++)
            batch.AsSpan()[i] = (float)rng.NextNormal();
        new Lsuv().Apply(model, batch, new Rng(2));
        // Rows of a square orthogonal matrix scaled by c: W·Wᵀ = c²·I, so off-diagonal products vanish.
        var w = ((Dense<float>)model.Layers[0]).Weight.Value;
        for (int a = 0; a < 8; a++)
        {
            for (int b = a + 1; b < 8; b++)
            {
                double dot = 0;
                for (int k = 0; k < 8; k++)
                    dot += w[a, k] * w[b, k];
                Assert.True(Math.Abs(dot) < 1e-5, $"rows {a},{b}: {dot}");
            }
        }
    }

    [Fact]
    public void RescaleReachesTheToleranceThroughALookupFirstLayer()
    {
        // A OneHotDense reads compact inputs (3 numbers, then a level slot per categorical column); LSUV rescales its Dense.
        var rng = new Rng(5);
        var batch = new Matrix<float>(200, 5);
        for (int i = 0; i < batch.Rows; i++)
        {
            for (int j = 0; j < 3; j++)
                batch[i, j] = (float)(3 * rng.NextNormal());
            batch[i, 3] = (float)Math.Floor(rng.NextUniform(0, 5));
            batch[i, 4] = (float)Math.Floor(rng.NextUniform(0, 7));
        }
        var model = new Sequential<float>(new OneHotDense<float>(3, [5, 7], 32), new ReLU<float>(), new Dense<float>(32, 32), new ReLU<float>(), new Dense<float>(32, 4));
        model.Initialize(1);

        var reached = new Lsuv(tolerance: 0.05).Rescale(model, batch);

        var measured = Lsuv.DenseOutputVariances(model, batch);
        Assert.Equal(3, reached.Count);
        Assert.Equal(3, measured.Count);
        for (int i = 0; i < 3; i++)
        {
            Assert.InRange(measured[i], 0.95, 1.05);
            Assert.Equal(reached[i], measured[i], 6);
        }
    }

    [Fact]
    public void TabularFitRunsLsuvOnTheTrainingRowsBeforeTraining()
    {
        // All rows train (the test set is given separately), so the calibration batch is the first 1000 prepared rows;
        // a learning rate of 1e-12 for one epoch leaves the weights where LSUV put them, to float precision.
        var data = CsvDataset.Load(TestData.DataFile("digits.csv"));
        var options = new FitOptions { Hidden = [64, 64, 64], Epochs = 1, LearningRate = 1e-12, WeightDecay = 0, Seed = 3, Lsuv = new Lsuv(Lsuv.PaperTolerance) };
        var result = TabularModel.Fit(data, options, test: data);
        Assert.NotNull(result.LsuvVariances);
        Assert.Equal(4, result.LsuvVariances.Count);
        var calibration = Lsuv.CalibrationBatch(result.Model.Prepare(DataTable.FromDataset(data)).Features);
        Assert.Equal(1000, calibration.Rows);
        var measured = Lsuv.DenseOutputVariances(result.Model.Network, calibration);
        for (int i = 0; i < 4; i++)
        {
            Assert.InRange(measured[i], 1 - Lsuv.PaperTolerance, 1 + Lsuv.PaperTolerance);
            Assert.Equal(result.LsuvVariances[i], measured[i], 3);
        }
        Assert.Null(TabularModel.Fit(data, options with { Lsuv = null }, test: data).LsuvVariances);
    }

    [Fact]
    public void BadArgumentsThrow()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new Lsuv(tolerance: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Lsuv(maxIterations: 0));
        Assert.Throws<ArgumentException>(() => new Lsuv().Apply(Mlp.Create(2, [2], 2), new Matrix<float>(1, 2), new Rng(1)));
    }
}
