namespace Engine.Tests.Tabular;

/// <summary>
/// Tables with text columns and missing values through TabularModel: encoders fitted on training rows only,
/// levels never seen and missing values at prediction time, columns matched by name, the schema saved with the
/// model, and the lookup first layer computing what the one-hot Dense computes.
/// </summary>
public sealed class TableEncodingTests() : TempDirectoryTests("engine-encoding-")
{
    // 60 rows: x numeric (missing on every 10th row), colour text (red/green/blue, "mauve" on 2 rows), y from both.
    private string WriteTable(string name = "t.csv", int rows = 60, Func<int, string>? colour = null)
    {
        var text = new StringBuilder("x,colour,id,y\n");
        for (int i = 0; i < rows; i++)
        {
            string c = colour?.Invoke(i) ?? (i is 7 or 30 ? "mauve" : (i % 3) switch { 0 => "red", 1 => "green", _ => "blue" });
            string x = i % 10 == 3 ? "NA" : (i * 0.5).ToString(CultureInfo.InvariantCulture);
            double y = i * 0.5 + (c == "red" ? 10 : c == "green" ? -5 : 0);
            text.Append(CultureInfo.InvariantCulture, $"{x},{c},{i},{y}\n");
        }
        string path = Path.Combine(Dir, name);
        File.WriteAllText(path, text.ToString());
        return path;
    }

    private static DataTable Read(string path) => DataTable.ReadCsv(path, new TableOptions { Target = "y", Drop = ["id"] });

    [Fact]
    public void MediansIndicatorsLevelsAndScalerComeFromTrainingRowsOnly()
    {
        var table = Read(WriteTable());
        var (train, test) = DataSplit.TrainTest(table, 0.25, 7);
        // Poison the test rows: were they used, the median, the scaler and the levels would move.
        for (int i = 0; i < test.Count; i++)
        {
            test.Numeric[i, 0] = 1e6f;
            test.Codes[i] = -1;
        }
        var result = TabularModel.Fit(train, new FitOptions { Seed = 1, Epochs = 2, MinLevelCount = 1 }, test);
        var encoding = result.Model.Metadata.Encoding!;

        var xs = Enumerable.Range(0, train.Count).Select(i => train.Numeric[i, 0]).Where(v => !float.IsNaN(v)).Order().ToArray();
        float median = xs.Length % 2 == 1 ? xs[xs.Length / 2] : (float)(((double)xs[xs.Length / 2 - 1] + xs[xs.Length / 2]) / 2);
        var x = encoding.Columns.Single(c => c.Name == "x");
        Assert.Equal(median, x.Median);
        Assert.True(x.Indicator); // x had missing values in training
        var imputed = Enumerable.Range(0, train.Count).Select(i => float.IsNaN(train.Numeric[i, 0]) ? median : train.Numeric[i, 0]).ToArray();
        Assert.Equal(imputed.Average(v => (double)v), result.Model.Metadata.FeatureScaler!.Offset[0], 4);

        var colour = encoding.Columns.Single(c => c.Name == "colour");
        Assert.Equal(ColumnKind.Categorical, colour.Kind);
        var trainLevels = Enumerable.Range(0, train.Count).Select(i => train.Codes[i]).Where(c => c >= 0).Select(c => train.Levels[0][c]).ToHashSet();
        Assert.Equal(trainLevels.Order(), colour.Levels!.Order());
        Assert.DoesNotContain(encoding.Columns, c => c.Name == "id");
    }

    [Fact]
    public void RareLevelsShareTheOtherInputAndUnseenLevelsUseIt()
    {
        var model = TabularModel.Fit(Read(WriteTable()), new FitOptions { Seed = 2, Epochs = 5, MinLevelCount = 3 }).Model;
        var colour = model.Metadata.Encoding!.Columns.Single(c => c.Name == "colour");
        Assert.Equal(["blue", "green", "red"], colour.Levels!); // "mauve" is on 2 rows, fewer than 3
        var p = model.Predict(Rows(("x", 4.0), ("colour", "mauve")));
        var unseen = model.Predict(Rows(("x", 4.0), ("colour", "never-seen")));
        Assert.Equal(p.AsSpan().ToArray(), unseen.AsSpan().ToArray());
    }

    [Fact]
    public void MissingValuesAndInputsNoTrainingRowUsedPredictAsIfTheBlockWereOff()
    {
        // no row misses colour and every level is kept: "other" and "missing" are unused, so their weights stay 0
        string path = WriteTable(colour: i => (i % 3) switch { 0 => "red", 1 => "green", _ => "blue" });
        var model = TabularModel.Fit(Read(path), new FitOptions { Seed = 3, Epochs = 5, CategoricalLookup = false }).Model;
        var dense = (Dense<float>)model.Network.Layers[0];
        var encoding = model.Metadata.Encoding!;
        int first = encoding.NumericWidth; // colour's block: blue, green, red, other, missing
        for (int o = 0; o < dense.OutFeatures; o++)
        {
            Assert.Equal(0f, dense.Weight.Value[o, first + 3]);
            Assert.Equal(0f, dense.Weight.Value[o, first + 4]);
        }
        var missing = model.Predict(Rows(("x", 4.0), ("colour", null)));
        var unseen = model.Predict(Rows(("x", 4.0), ("colour", "purple")));
        var missingX = model.Predict(Rows(("x", null), ("colour", "red")));
        var medianX = model.Predict(Rows(("x", (double)encoding.Columns[0].Median), ("colour", "red")));
        Assert.Equal(missing.AsSpan().ToArray(), unseen.AsSpan().ToArray());
        Assert.True(float.IsFinite(missingX[0, 0]));
        // x had missing values in training: its indicator makes a missing x differ from the median itself
        Assert.NotEqual(medianX[0, 0], missingX[0, 0]);
    }

    [Fact]
    public void PredictMatchesColumnsByNameIgnoringOrderAndExtras()
    {
        string path = WriteTable();
        var model = TabularModel.Fit(Read(path), new FitOptions { Seed = 4, Epochs = 5 }).Model;
        var expected = model.Predict(model.ReadCsv(path)).AsSpan().ToArray();

        // the same rows, columns reordered, an extra column, no target
        var lines = File.ReadAllLines(path);
        var shuffled = lines.Select(l => l.Split(',')).Select(f => $"{f[2]},extra,{f[1]},{f[0]}");
        string other = Path.Combine(Dir, "shuffled.csv");
        File.WriteAllLines(other, shuffled.Select((l, i) => i == 0 ? "id,note,colour,x" : l));
        var rows = model.ReadCsv(other);
        Assert.Equal(["id", "note"], rows.IgnoredColumns);
        Assert.Equal(expected, model.Predict(rows).AsSpan().ToArray());
    }

    [Fact]
    public void AMissingFeatureColumnIsNamed()
    {
        var model = TabularModel.Fit(Read(WriteTable()), new FitOptions { Seed = 4, Epochs = 2 }).Model;
        string path = Path.Combine(Dir, "no-colour.csv");
        File.WriteAllText(path, "x,y\n1,2\n");
        var e = Assert.Throws<DataFormatException>(() => model.ReadCsv(path));
        Assert.Contains("'colour'", e.Message);
        Assert.Contains(path, e.Message);
        var named = Assert.Throws<IncompatibleDataException>(() => model.Predict(Rows(("x", 1.0))));
        Assert.Contains("'colour'", named.Message);
    }

    [Fact]
    public void SchemaAndEncodingRoundTripThroughModelCheckpointAndSafetensors()
    {
        string path = WriteTable();
        var table = Read(path);
        Checkpoint? saved = null;
        var result = TabularModel.Fit(table, new FitOptions { Seed = 5, Epochs = 4, CheckpointEvery = 4 }, checkpoint: c => saved = c);
        var expected = result.Model.Predict(table).AsSpan().ToArray();

        string mlp = Path.Combine(Dir, "m.mlp"), st = Path.Combine(Dir, "m.safetensors"), ckpt = Path.Combine(Dir, "m.ckpt");
        result.Model.Save(mlp);
        result.Model.ExportSafetensors(st);
        CheckpointFile.Save(ckpt, saved!);
        foreach (var loaded in new[] { TabularModel.Load(mlp), TabularModel.Load(st) })
        {
            Assert.Equal(result.Model.Metadata.Encoding, loaded.Metadata.Encoding, EncodingComparer.Instance);
            Assert.Equal(table.Columns, loaded.Schema!, SchemaComparer.Instance);
            Assert.Equal(expected, loaded.Predict(loaded.ReadCsv(path)).AsSpan().ToArray());
        }
        var checkpoint = CheckpointFile.Load(ckpt);
        Assert.Equal(result.Model.Metadata.Encoding, checkpoint.Metadata.Encoding, EncodingComparer.Instance);
        Assert.Equal(table.Columns, checkpoint.Metadata.Schema!, SchemaComparer.Instance);
        var resumed = TabularModel.Resume(checkpoint, table); // nothing left to train: the same model
        Assert.Equal(expected, resumed.Model.Predict(table).AsSpan().ToArray());
    }

    [Fact]
    public void TheLookupLayerPredictsWhatTheOneHotDenseDoes()
    {
        string path = WriteTable(rows: 100, colour: i => $"c{i % 20}"); // 20 levels of 5 rows: 22 one-hot inputs
        var table = Read(path);
        var model = TabularModel.Fit(table, new FitOptions { Seed = 6, Epochs = 5, CategoricalLookup = true }).Model;
        Assert.True(model.UsesLookup);
        string file = Path.Combine(Dir, "lookup.mlp");
        model.Save(file);
        var loaded = TabularModel.Load(file); // 22 one-hot inputs: by default a plain Dense when loaded
        Assert.False(loaded.UsesLookup);
        var viaLookup = new TabularModel(loaded.Network, loaded.Metadata, categoricalLookup: true);
        var viaDense = new TabularModel(viaLookup.Network.Layers[0] is OneHotDense<float> h
            ? new Sequential<float>([h.Dense, .. viaLookup.Network.Layers.Skip(1)]) : viaLookup.Network, viaLookup.Metadata, categoricalLookup: false);
        Assert.True(viaLookup.UsesLookup);
        Assert.False(viaDense.UsesLookup);
        // The lookup adds the active levels' weights in the order the one-hot product meets them (after the numeric
        // inputs), so the two agree bit for bit.
        Assert.Equal(viaDense.Predict(table).AsSpan().ToArray(), viaLookup.Predict(table).AsSpan().ToArray());

        // and a whole training run with the lookup ends where the one-hot run does
        var dense = TabularModel.Fit(table, new FitOptions { Seed = 6, Epochs = 5, CategoricalLookup = false }).Model;
        Assert.Equal(dense.Predict(table).AsSpan().ToArray(), model.Predict(table).AsSpan().ToArray());
    }

    [Fact]
    public void TheLookupIsTheDefaultOnlyForWideCategoricalBlocks()
    {
        var narrow = TabularModel.Fit(Read(WriteTable(rows: 100, colour: i => $"c{i % 20}")), new FitOptions { Seed = 6, Epochs = 1 }).Model;
        Assert.False(narrow.UsesLookup); // 22 one-hot inputs
        var wide = TabularModel.Fit(Read(WriteTable(rows: 1200, colour: i => $"c{i % 300}")), new FitOptions { Seed = 6, Epochs = 1, MinLevelCount = 1 }).Model;
        Assert.True(wide.UsesLookup, string.Join(",", wide.Metadata.Encoding!.Columns.Select(c => $"{c.Name}:{c.Kind}:{c.Slots}"))); // ~300 one-hot inputs in one column
    }

    [Fact]
    public void OldAllNumericFilesReadTheirFeaturesAsNumbers()
    {
        // written by 0.1: no encoding, no schema; a missing value is imputed with the scaler's mean (scaled to 0)
        var model = TabularModel.Load(Path.Combine(TestData.RepoRoot, "Engine.Tests", "Fixtures", "v0.1", "iris-sgd.mlp"));
        Assert.Null(model.Metadata.Encoding);
        Assert.Null(model.Schema);
        Assert.All(model.Metadata.EffectiveEncoding.Columns, c => Assert.Equal(ColumnKind.Numeric, c.Kind));
        var full = model.Predict(Rows(("sepal_length", 5.1), ("sepal_width", 3.5), ("petal_length", 1.4), ("petal_width", 0.2)));
        Assert.Equal(0, TensorPrimitives.IndexOfMax<float>(full.Row(0)));
        var gap = model.Predict(Rows(("sepal_length", null), ("sepal_width", 3.5), ("petal_length", 1.4), ("petal_width", 0.2)));
        Assert.True(float.IsFinite(gap[0, 0]));
    }

    private static IReadOnlyList<IReadOnlyDictionary<string, object?>> Rows(params (string Name, object? Value)[] values) =>
        [values.ToDictionary(v => v.Name, v => v.Value)];

    private sealed class EncodingComparer : IEqualityComparer<TableEncoding?>
    {
        public static readonly EncodingComparer Instance = new();

        public bool Equals(TableEncoding? a, TableEncoding? b) =>
            a is not null && b is not null && a.MinLevelCount == b.MinLevelCount && a.Columns.Length == b.Columns.Length
            && a.Columns.Zip(b.Columns).All(p => p.First.Name == p.Second.Name && p.First.Kind == p.Second.Kind && p.First.Median == p.Second.Median
                && p.First.Indicator == p.Second.Indicator && (p.First.Levels ?? []).SequenceEqual(p.Second.Levels ?? []));

        public int GetHashCode(TableEncoding? obj) => 0;
    }

    private sealed class SchemaComparer : IEqualityComparer<ColumnSchema>
    {
        public static readonly SchemaComparer Instance = new();

        public bool Equals(ColumnSchema? a, ColumnSchema? b) =>
            a is not null && b is not null && a.Name == b.Name && a.Kind == b.Kind && a.Missing == b.Missing && a.Distinct == b.Distinct
            && a.Reason == b.Reason && a.TopLevels.SequenceEqual(b.TopLevels);

        public int GetHashCode(ColumnSchema obj) => 0;
    }

    [Fact]
    public void TheMedianBySelectionIsTheMedianOfTheSortedValues()
    {
        var rng = new Rng(9);
        for (int n = 1; n <= 300; n++)
        {
            // Few distinct values (long runs of equal ones, as in image columns), then many.
            int distinct = n % 3 == 0 ? 3 : 1000;
            float[] values = [.. Enumerable.Range(0, n).Select(_ => (float)rng.NextInt(distinct) - distinct / 2)];
            float[] sorted = [.. values.Order()];
            double expected = n % 2 == 1 ? sorted[n / 2] : ((double)sorted[n / 2 - 1] + sorted[n / 2]) / 2;
            Assert.Equal((float)expected, Engine.Tabular.TableEncoder.Median(values));
        }
    }
}
