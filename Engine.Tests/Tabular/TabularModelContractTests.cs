namespace Engine.Tests.Tabular;

/// <summary>
/// <see cref="TabularModel"/>'s contract around training: what it refuses (no target, a resume on other rows or with
/// another test set, fewer epochs than done) with the messages word for word, null arguments, the weight decay a
/// run records, the first layer's initializer (orthogonal under LSUV unless one is given), a resumed LSUV run not
/// rescaled again, and when the first layer reads categorical columns as a lookup (the thresholds on either side).
/// </summary>
public class TabularModelContractTests
{
    private static readonly Dataset Blobs = Samples.Blobs(40, 5, center: 1.5);

    private static readonly FitOptions Tiny = new() { Hidden = [4], Epochs = 2, Seed = 1, BatchSize = 8 };

    // y = 2x over 30 rows: a regression dataset
    private static Dataset Line(string source = "line")
    {
        var x = new Matrix<float>(30, 1);
        var y = new Matrix<float>(30, 1);
        for (int i = 0; i < 30; i++)
            (x[i, 0], y[i, 0]) = (i, 2 * i);
        return new Dataset(x, y, ["x"], "y", TaskKind.Regression, null, source);
    }

    private static Checkpoint CheckpointOf(Dataset data, Dataset? test, FitOptions options)
    {
        Checkpoint? last = null;
        TabularModel.Fit(data, options with { CheckpointEvery = 1 }, test, checkpoint: c => last = c);
        return last!;
    }

    [Fact]
    public void TrainingRowsWithoutATargetAreRefused()
    {
        var noTarget = TableEncoderReferenceTests.Table(["a"], [[1, 2, 3, 4, 5]], [], [], [], source: "rows.csv");
        var e = Assert.Throws<IncompatibleDataException>(() => TabularModel.Fit(noTarget, Tiny));
        Assert.Equal("rows.csv: training needs a target column.", e.Message);
        // a target name without values is no target either
        var named = new DataTable("named.csv", 5, noTarget.Columns, [], noTarget.Numeric, [], [],
            new TargetColumn("y", null, TaskKind.Regression, null, "no values", 0));
        e = Assert.Throws<IncompatibleDataException>(() => TabularModel.Fit(named, Tiny));
        Assert.Equal("named.csv: training needs a target column.", e.Message);
        // and the options are judged first
        Assert.Throws<InvalidOptionException>(() => TabularModel.Fit(noTarget, Tiny with { Epochs = 0 }));
    }

    [Fact]
    public void AResumeOnOtherRowsOrAnotherTestSetOrFewerEpochsIsRefused()
    {
        var split = CheckpointOf(Blobs, null, Tiny);
        Assert.False(split.SeparateTest);
        var test = Samples.Blobs(10, 6, center: 1.5);
        var e = Assert.Throws<IncompatibleDataException>(() => TabularModel.Resume(split, Blobs, new Dataset(test.Features, test.Targets, test.FeatureNames, "y", TaskKind.Classification, test.ClassNames, "test.csv")));
        Assert.Equal("test.csv: the checkpoint's run split its test rows off the data: give no separate test set.", e.Message);

        var separate = CheckpointOf(Blobs, test, Tiny);
        Assert.True(separate.SeparateTest);
        e = Assert.Throws<IncompatibleDataException>(() => TabularModel.Resume(separate, Blobs));
        Assert.Equal($"{Blobs.Source}: the checkpoint's run had a separate test set: give it again.", e.Message);

        var fewer = split with { Options = split.Options with { Epochs = 1 } };
        var o = Assert.Throws<InvalidOptionException>(() => TabularModel.Resume(fewer, Blobs));
        Assert.Equal("Epochs must be at least the 2 epochs the checkpoint has completed, got 1.", o.Message);
        Assert.Equal("Epochs", o.Option);

        var other = Samples.Blobs(40, 7, center: 1.5);
        var f = DataFingerprint.Of(other);
        e = Assert.Throws<IncompatibleDataException>(() => TabularModel.Resume(split, other));
        Assert.Equal($"{other.Source}: these are not the rows the checkpoint was trained on (40×2, CRC {f.Crc32:X8}; the checkpoint's are "
            + $"40×2, CRC {split.Data.Crc32:X8}).", e.Message);

        var broken = split with { Layers = [new LayerSpec("NoSuchLayer"), .. split.Layers[1..]] };
        var a = Assert.Throws<ArgumentException>(() => TabularModel.Resume(broken, Blobs));
        Assert.StartsWith("The checkpoint's architecture is invalid: ", a.Message, StringComparison.Ordinal);

        // the same rows and no test set: nothing left to train, the run's own weights
        var resumed = TabularModel.Resume(split, Blobs);
        Assert.Equal(2, resumed.History.Epochs.Count);
    }

    [Fact]
    public void NullArgumentsAreRefusedByName()
    {
        var model = TabularModel.Fit(Blobs, Tiny with { Epochs = 1 }).Model;
        var regression = TabularModel.Fit(Line(), Tiny with { Epochs = 1 }).Model;
        var table = DataTable.FromDataset(Blobs);
        var checkpoint = CheckpointOf(Blobs, null, Tiny with { Epochs = 1 });
        Assert.Throws<ArgumentNullException>(() => TabularModel.Fit((DataTable)null!, Tiny));
        Assert.Throws<ArgumentNullException>(() => TabularModel.Fit(table, null!));
        Assert.Throws<ArgumentNullException>(() => TabularModel.Fit((Dataset)null!, Tiny));
        Assert.Throws<ArgumentNullException>(() => TabularModel.Resume(null!, table));
        Assert.Equal("data", Assert.Throws<ArgumentNullException>(() => TabularModel.Resume(checkpoint, (DataTable)null!)).ParamName);
        Assert.Throws<ArgumentNullException>(() => TabularModel.Resume(checkpoint, (Dataset)null!));
        Assert.Throws<ArgumentNullException>(() => model.Predict((DataTable)null!));
        Assert.Throws<ArgumentNullException>(() => model.Predict((Matrix<float>)null!));
        Assert.Throws<ArgumentNullException>(() => model.Evaluate((DataTable)null!));
        Assert.Throws<ArgumentNullException>(() => model.Evaluate((Dataset)null!));
        Assert.Throws<ArgumentNullException>(() => model.Prepare(null!));
        Assert.Throws<ArgumentNullException>(() => model.ClassificationReport(null!));
        Assert.Throws<ArgumentNullException>(() => regression.ClassificationReport(null!));
        Assert.Throws<ArgumentNullException>(() => regression.RegressionReport(null!));
        Assert.Throws<ArgumentNullException>(() => model.RegressionReport(null!));
        Assert.Throws<ArgumentNullException>(() => TabularModel.Load(null!));
        Assert.Throws<ArgumentException>(() => TabularModel.Load(""));
        Assert.Equal("rawFeatures", Assert.Throws<ArgumentException>(() => model.Predict(new Matrix<float>(1, 3))).ParamName); // 3 columns for 2 features
    }

    [Fact]
    public void TheClassesOfATableAreTheLargestProbabilities()
    {
        var model = TabularModel.Fit(Blobs, Tiny).Model;
        var table = DataTable.FromDataset(Blobs);
        var p = model.Predict(table);
        int[] expected = [.. Enumerable.Range(0, p.Rows).Select(i => p[i, 0] >= p[i, 1] ? 0 : 1)];
        Assert.Equal(expected, model.PredictClasses(table));
        Assert.Equal(expected, model.PredictClasses(Blobs.Features));
        var e = Assert.Throws<InvalidOperationException>(() => TabularModel.Fit(Line(), Tiny).Model.PredictClasses(DataTable.FromDataset(Line())));
        Assert.Equal("PredictClasses needs a classification model.", e.Message);
    }

    [Fact]
    public void TheRunRecordsTheWeightDecayGivenOrTheTasksDefault()
    {
        Assert.Equal(0.25, CheckpointOf(Line(), null, Tiny with { WeightDecay = 0.25 }).Options.WeightDecay);
        Assert.Equal(0, CheckpointOf(Line(), null, Tiny with { WeightDecay = 0 }).Options.WeightDecay);
        // the documented defaults: AdamW 5 for regression, 0.1 for classification; Adam 0
        Assert.Equal(5, CheckpointOf(Line(), null, Tiny).Options.WeightDecay);
        Assert.Equal(0.1, CheckpointOf(Blobs, null, Tiny).Options.WeightDecay);
        Assert.Equal(0, CheckpointOf(Blobs, null, Tiny with { Optimizer = OptimizerKind.Adam }).Options.WeightDecay);
    }

    // W·Wᵀ (or Wᵀ·W for a tall W) is a multiple of the identity
    private static bool Orthogonal(Matrix<float> w)
    {
        bool tall = w.Rows >= w.Cols;
        int n = tall ? w.Cols : w.Rows;
        var g = new double[n, n];
        for (int a = 0; a < n; a++)
        {
            for (int b = 0; b < n; b++)
            {
                int len = tall ? w.Rows : w.Cols;
                for (int k = 0; k < len; k++)
                    g[a, b] += tall ? (double)w[k, a] * w[k, b] : (double)w[a, k] * w[b, k];
            }
        }
        double c = g[0, 0];
        for (int a = 0; a < n; a++)
        {
            for (int b = 0; b < n; b++)
            {
                if (Math.Abs(g[a, b] - (a == b ? c : 0)) > 1e-4 * c)
                    return false;
            }
        }
        return true;
    }

    [Fact]
    public void LsuvStartsFromOrthogonalWeightsUnlessAnInitializerIsGiven()
    {
        // a rate of 1e-12: the weights are the initial ones (after LSUV's rescaling, a factor per layer)
        var options = Tiny with { Hidden = [8, 8], Epochs = 1, LearningRate = 1e-12, WeightDecay = 0 };
        Matrix<float>[] Weights(FitOptions o) =>
            [.. TabularModel.Fit(Blobs, o, test: Blobs).Model.Network.Layers.OfType<Dense<float>>().Select(d => d.Weight.Value)];

        var lsuv = Weights(options with { Lsuv = new Lsuv() });
        Assert.All(lsuv, w => Assert.True(Orthogonal(w)));
        Assert.DoesNotContain(Weights(options), Orthogonal); // the default initializer is not orthogonal
        var given = Weights(options with { Initializer = new Constant(0.5) });
        Assert.All(given, w => Assert.All(w.AsSpan().ToArray(), v => Assert.Equal(0.5f, v, 1e-6f)));
        var givenUnderLsuv = Weights(options with { Initializer = new Constant(0.5), Lsuv = new Lsuv() });
        Assert.All(givenUnderLsuv[..2], w => Assert.All(w.AsSpan().ToArray(), v => Assert.Equal(w[0, 0], v, 1e-6f)));
        Assert.NotEqual(0.5f, givenUnderLsuv[0][0, 0], 1e-3f); // rescaled
    }

    [Fact]
    public void AResumedLsuvRunIsNotRescaledAgainAndEndsAsTheUninterruptedRun()
    {
        // the checkpoint stays in memory: FitOptions.Lsuv is not saved in a checkpoint file
        var options = Tiny with { Epochs = 3, Lsuv = new Lsuv(), CheckpointEvery = 1 };
        Checkpoint? afterOne = null;
        var full = TabularModel.Fit(Blobs, options, checkpoint: c => afterOne ??= c);
        Assert.NotNull(full.LsuvVariances);
        Assert.Equal(1, afterOne!.State.Progress.Epoch);
        Assert.NotNull(afterOne.Options.Lsuv);

        var resumed = TabularModel.Resume(afterOne, Blobs);
        Assert.Null(resumed.LsuvVariances); // the weights come from the checkpoint, already rescaled at the start of the run
        Assert.Equal(3, resumed.History.Epochs.Count);
        for (int i = 0; i < full.Model.Network.Parameters.Count; i++)
        {
            Assert.Equal(full.Model.Network.Parameters[i].Value.AsSpan().ToArray().Select(BitConverter.SingleToInt32Bits),
                resumed.Model.Network.Parameters[i].Value.AsSpan().ToArray().Select(BitConverter.SingleToInt32Bits));
        }
    }

    // A model on one categorical column per entry of `levels` (that many kept levels each), through the constructor
    // a loaded model goes through.
    private static TabularModel WithLevels(int[] levels, bool? lookup = null, int numeric = 1)
    {
        ColumnEncoding[] columns =
        [
            .. Enumerable.Range(0, numeric).Select(j => new ColumnEncoding($"n{j}", ColumnKind.Numeric, 0)),
            .. levels.Select((n, j) => new ColumnEncoding($"c{j}", ColumnKind.Categorical, Levels: [.. Enumerable.Range(0, n).Select(k => $"l{k}")])),
        ];
        var encoding = new TableEncoding(columns, 1);
        var metadata = new ModelMetadata(TaskKind.Regression, [.. columns.Select(c => c.Name)], "y") { Encoding = encoding };
        return new TabularModel(Mlp.Create(encoding.Width, [2], 1, seed: 1), metadata, lookup);
    }

    [Fact]
    public void TheLookupIsUsedFrom256OneHotInputsAveraging16AColumn()
    {
        Assert.True(WithLevels([.. Enumerable.Repeat(14, 16)]).UsesLookup);   // 16 columns of 16 inputs: 256, 16 on average
        Assert.False(WithLevels([.. Enumerable.Repeat(13, 16)]).UsesLookup);  // 240 inputs
        Assert.False(WithLevels([.. Enumerable.Repeat(13, 20)]).UsesLookup);  // 300 inputs, 15 on average
        Assert.True(WithLevels([298, 1]).UsesLookup);                          // 303 inputs, 151.5 on average (3 the fewest)
        Assert.False(WithLevels([253]).UsesLookup);                            // 255 inputs in one column
        Assert.True(WithLevels([254]).UsesLookup);
        Assert.True(WithLevels([2], lookup: true).UsesLookup);                // asked for
        Assert.False(WithLevels([254], lookup: false).UsesLookup);            // refused
        Assert.False(WithLevels([], lookup: true).UsesLookup);                // no categorical column: nothing to look up
        Assert.False(WithLevels([], numeric: 3).UsesLookup);
        var model = WithLevels([254]);
        Assert.IsType<OneHotDense<float>>(model.Network.Layers[0]);
    }
}
