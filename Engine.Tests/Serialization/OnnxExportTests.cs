using Engine.Serialization.OnnxProto;
using Xunit.Abstractions;

namespace Engine.Tests.Serialization;

/// <summary>
/// Exported ONNX files run in ONNX Runtime and give what <see cref="TabularModel.Predict(IReadOnlyList{IReadOnlyDictionary{string, object?}})"/>
/// gives, on every dataset of data/ and ../shared/datasets/tabular/, with rows holding levels never seen in
/// training and missing values; every layer type the registry knows; regression in the target's units.
/// </summary>
public sealed class OnnxExportTests(ITestOutputHelper output) : TempDirectoryTests("engine-onnx-")
{
    private const double Tolerance = 1e-5;

    private sealed record Comparison(string File, string Task, int Rows, int Unusual, double MaxAbsDiff, double MaxScaledDiff, int LabelsDiffering);

    [Fact]
    public void EveryFileOfDataFolderScoresInOnnxRuntimeAsPredict()
    {
        string[] files = [.. Directory.GetFiles(Path.Combine(TestData.RepoRoot, "data"), "*.csv").Order(StringComparer.Ordinal)];
        Assert.NotEmpty(files);
        var table = files.Select(f => Compare(f, target: null)).ToList();
        Report(table);
    }

    [RequiresDatasetFact("tabular/targets.tsv")]
    public void EveryTabularDatasetScoresInOnnxRuntimeAsPredict()
    {
        string folder = Path.GetDirectoryName(DataFiles.Shared("tabular/targets.tsv")!)!;
        var targets = File.ReadAllLines(Path.Combine(folder, "targets.tsv")).Skip(1)
            .Select(line => line.Split('\t')).Where(f => f.Length >= 2).Select(f => (File: f[0], Target: f[1])).ToList();
        Assert.NotEmpty(targets);
        var table = targets.Select(t => Compare(Path.Combine(folder, t.File), t.Target)).ToList();
        Report(table);
    }

    private Comparison Compare(string csv, string? target)
    {
        var data = DataTable.ReadCsv(csv, new TableOptions { Target = target });
        var model = TabularModel.Fit(data, new FitOptions { Seed = 1, Epochs = 20 }).Model;
        string path = Path.Combine(Dir, Path.GetFileNameWithoutExtension(csv) + ".onnx");
        model.ExportOnnx(path);

        var encoding = model.Metadata.EffectiveEncoding;
        var rows = OnnxScoring.Rows(data, encoding);
        var unusual = OnnxScoring.Unusual(rows, encoding, 60);
        rows.AddRange(unusual);
        var expected = model.Predict(rows);
        var actual = OnnxScoring.Run(path, rows);

        // Regression: also the difference in units of the target's standard deviation (what the network computes).
        double targetScale = model.Metadata.TargetScaler?.Scale[0] ?? 1;
        double maxDiff = 0;
        int labelsDiffering = 0;
        for (int i = 0; i < expected.Rows; i++)
        {
            for (int j = 0; j < expected.Cols; j++)
            {
                float e = expected[i, j], a = actual.Values[i, j];
                Assert.True(float.IsFinite(a), $"{Path.GetFileName(csv)} row {i}: ONNX gave {a}");
                maxDiff = Math.Max(maxDiff, Math.Abs(e - a));
            }
            if (actual.Labels is not null && actual.Labels[i] != model.ClassNames![TensorPrimitives.IndexOfMax<float>(expected.Row(i))])
                labelsDiffering++;
        }
        double scaled = maxDiff * targetScale;
        Assert.True(scaled <= Tolerance, $"{Path.GetFileName(csv)}: ONNX Runtime differs from Predict by {maxDiff:G3} ({scaled:G3} after scaling).");
        if (actual.Labels is not null)
            Assert.Equal(0, labelsDiffering);
        return new Comparison(Path.GetFileName(csv), model.Task.ToString().ToLowerInvariant(), rows.Count, unusual.Count, maxDiff, scaled, labelsDiffering);
    }

    private void Report(List<Comparison> table)
    {
        output.WriteLine($"ONNX Runtime vs TabularModel.Predict (Fit: seed 1, 20 epochs; rows = every row + copies with unseen levels and missing values)");
        output.WriteLine($"{"file",-20} {"task",-15} {"rows",6} {"unusual",8} {"max |diff|",12} {"max |diff|/σ(y)",16} {"labels differing",17}");
        foreach (var c in table)
            output.WriteLine($"{c.File,-20} {c.Task,-15} {c.Rows,6} {c.Unusual,8} {c.MaxAbsDiff,12:0.00e+00} {(c.Task == "regression" ? c.MaxScaledDiff.ToString("0.00e+00", CultureInfo.InvariantCulture) : "-"),16} {(c.Task == "regression" ? "-" : c.LabelsDiffering.ToString(CultureInfo.InvariantCulture)),17}");
    }

    // ---- every layer type ----

    public static TheoryData<string> Activations() => [.. LayerRegistry.Types.Where(t => t != "Dense").Append("GELU-tanh").Append("PReLU-per-unit")];

    private static Layer<float> ActivationLayer(string name) => name switch
    {
        "GELU-tanh" => new GELU<float>(approximateTanh: true),
        "PReLU-per-unit" => new PReLU<float>(numParameters: 6, init: 0.1),
        "PReLU" => new PReLU<float>(1, 0.3),
        "LeakyReLU" => new LeakyReLU<float>(0.2),
        _ => LayerRegistry.Create<float>(new LayerSpec(name), what => new ArgumentException(what)),
    };

    [Theory]
    [MemberData(nameof(Activations))]
    public void EachActivationRunsInOnnxRuntimeAsInTheEngine(string activation)
    {
        var layer = ActivationLayer(activation);
        var network = new Sequential<float>(new Dense<float>(3, 6), layer, new Dense<float>(6, 6), ActivationLayer(activation), new Dense<float>(6, 4));
        network.Initialize(seed: 7);
        if (layer is PReLU<float> prelu) // learned slopes, not the initial ones
        {
            for (int k = 0; k < prelu.NumParameters; k++)
                prelu.Slope.Value[0, k] = 0.05f * (k + 1);
        }
        var metadata = new ModelMetadata(TaskKind.Classification, ["a", "b", "c"], "y", ["w", "x", "y", "z"]);
        var model = new TabularModel(network, metadata);
        string path = Path.Combine(Dir, $"{activation}.onnx");
        model.ExportOnnx(path);

        var rng = new Rng(3);
        var x = new Matrix<float>(200, 3);
        for (int i = 0; i < x.Length; i++)
            x.AsSpan()[i] = (float)rng.NextNormal(0, 3); // both sides of 0, and the saturating ends
        var rows = Enumerable.Range(0, x.Rows).Select(i => (IReadOnlyDictionary<string, object?>)new Dictionary<string, object?> { ["a"] = x[i, 0], ["b"] = x[i, 1], ["c"] = x[i, 2] }).ToList();
        var expected = model.Predict(x);
        var actual = OnnxScoring.Run(path, rows);
        double maxDiff = 0;
        for (int i = 0; i < expected.Rows; i++)
        {
            for (int j = 0; j < expected.Cols; j++)
                maxDiff = Math.Max(maxDiff, Math.Abs(expected[i, j] - actual.Values[i, j]));
            Assert.Equal(metadata.ClassNames![TensorPrimitives.IndexOfMax<float>(expected.Row(i))], actual.Labels![i]);
        }
        output.WriteLine($"{activation}: max |diff| {maxDiff:G3}");
        Assert.True(maxDiff <= Tolerance, $"{activation}: {maxDiff:G3}");
    }

    [Fact]
    public void EveryRegistryLayerTypeHasAnActivationTest()
    {
        var tested = ((IEnumerable<object[]>)Activations()).Select(row => (string)row[0]).ToHashSet();
        Assert.All(LayerRegistry.Types.Where(t => t != "Dense"), type => Assert.Contains(type, tested));
    }

    // ---- regression, old files, the graph itself ----

    [Fact]
    public void RegressionGivesTheValueInTheTargetsUnits()
    {
        var data = DataTable.ReadCsv(TestData.DataFile("diabetes.csv"));
        var model = TabularModel.Fit(data, new FitOptions { Seed = 1, Epochs = 30, Hidden = [16], Activation = Activation.GELU }).Model;
        string path = Path.Combine(Dir, "diabetes.onnx");
        model.ExportOnnx(path);
        var rows = OnnxScoring.Rows(data, model.Metadata.EffectiveEncoding);
        var expected = model.Predict(rows);
        var actual = OnnxScoring.Run(path, rows);
        Assert.Null(actual.Labels);
        Assert.Equal(1, actual.Values.GetLength(1));
        for (int i = 0; i < expected.Rows; i++)
            Assert.True(Math.Abs(expected[i, 0] - actual.Values[i, 0]) <= 1e-3, $"row {i}: {expected[i, 0]} vs {actual.Values[i, 0]}"); // progression is 25..346: 1e-3 is ~3e-6 of σ(y)
        Assert.InRange(actual.Values[0, 0], 25, 346);
    }

    [Theory]
    [InlineData("minmax", "wine.csv")]
    [InlineData("none", "iris.csv")]
    [InlineData("none", "wine.csv")] // unscaled: logits in the hundreds, where an unshifted softmax overflows
    public void OtherScalersToo(string scaler, string file)
    {
        var data = DataTable.ReadCsv(TestData.DataFile(file));
        var model = TabularModel.Fit(data, new FitOptions { Seed = 1, Epochs = 5, Scaler = scaler }).Model;
        string path = Path.Combine(Dir, $"{scaler}.onnx");
        model.ExportOnnx(path);
        var rows = OnnxScoring.Rows(data, model.Metadata.EffectiveEncoding);
        rows.AddRange(OnnxScoring.Unusual(rows, model.Metadata.EffectiveEncoding, 26));
        var expected = model.Predict(rows);
        var actual = OnnxScoring.Run(path, rows);
        for (int i = 0; i < expected.Rows; i++)
        {
            for (int j = 0; j < expected.Cols; j++)
                Assert.True(Math.Abs(expected[i, j] - actual.Values[i, j]) <= Tolerance, $"row {i}: {expected[i, j]} vs {actual.Values[i, j]}");
        }
    }

    [Theory]
    [InlineData("iris-relu.mlp")]
    [InlineData("iris-prelu.safetensors")]
    [InlineData("diabetes-sigmoid.safetensors")]
    [InlineData("v0.1/iris-sgd.mlp")]
    public void FilesFromEarlierVersionsExportToo(string fixture)
    {
        var model = TabularModel.Load(TestData.TestsFile("Fixtures", fixture));
        string path = Path.Combine(Dir, "old.onnx");
        model.ExportOnnx(path);
        var rows = Enumerable.Range(0, 20).Select(i => (IReadOnlyDictionary<string, object?>)model.FeatureNames
            .Select((name, j) => (name, j)).ToDictionary(p => p.name, p => (object?)(i == 0 && p.j == 0 ? float.NaN : 0.5f * i + p.j), StringComparer.Ordinal)).ToList();
        var expected = model.Predict(rows);
        var actual = OnnxScoring.Run(path, rows);
        double scale = model.Metadata.TargetScaler?.Scale[0] ?? 1;
        for (int i = 0; i < expected.Rows; i++)
        {
            for (int j = 0; j < expected.Cols; j++)
                Assert.True(Math.Abs(expected[i, j] - actual.Values[i, j]) * scale <= Tolerance, $"{fixture} row {i}: {expected[i, j]} vs {actual.Values[i, j]}");
        }
    }

    [Fact]
    public void TheFileCarriesVersionsInputsOutputsAndMetadata()
    {
        var data = DataTable.ReadCsv(TestData.DataFile("iris.csv"));
        var model = TabularModel.Fit(data, new FitOptions { Seed = 1, Epochs = 2 }).Model;
        string path = Path.Combine(Dir, "iris.onnx");
        model.ExportOnnx(path);
        var proto = ModelProto.Parser.ParseFrom(File.ReadAllBytes(path));
        Assert.Equal(8, proto.IrVersion);
        Assert.Equal([("", 17L), ("ai.onnx.ml", 2L)], proto.OpsetImport.Select(o => (o.Domain, o.Version)));
        Assert.Equal(["sepal_length", "sepal_width", "petal_length", "petal_width"], proto.Graph.Input.Select(i => i.Name));
        Assert.Equal(["probabilities", "label"], proto.Graph.Output.Select(o => o.Name));
        var meta = proto.MetadataProps.ToDictionary(p => p.Key, p => p.Value);
        Assert.Equal("Engine", meta["producer"]);
        Assert.Equal("[\"setosa\",\"versicolor\",\"virginica\"]", meta["class_names"]);
        Assert.Contains("\"sepal_length\"", meta["schema"]);
        Assert.Equal("classification", meta["task"]);

        using var session = new Microsoft.ML.OnnxRuntime.InferenceSession(path);
        Assert.Equal("Engine", session.ModelMetadata.ProducerName);
        Assert.Equal(meta["class_names"], session.ModelMetadata.CustomMetadataMap["class_names"]);
        Assert.Equal([-1, 1], session.InputMetadata["sepal_length"].Dimensions); // [N, 1]
    }

    [Fact]
    public void TextInputsAreStringsInTheCsvsOrder()
    {
        string csv = Path.Combine(Dir, "t.csv");
        File.WriteAllText(csv, "colour,size,shape,kind\nred,1,round,a\nblue,2,,b\nred,NA,square,a\ngreen,4,round,b\nred,5,round,a\nblue,6,square,b\n");
        var data = DataTable.ReadCsv(csv);
        var model = TabularModel.Fit(data, new FitOptions { Seed = 1, Epochs = 3, TestFraction = 0.34 }).Model;
        string path = Path.Combine(Dir, "t.onnx");
        model.ExportOnnx(path);
        using var session = new Microsoft.ML.OnnxRuntime.InferenceSession(path);
        Assert.Equal(["colour", "size", "shape"], session.InputMetadata.Keys);
        Assert.Equal(Microsoft.ML.OnnxRuntime.Tensors.TensorElementType.String, session.InputMetadata["colour"].ElementDataType);
        Assert.Equal(Microsoft.ML.OnnxRuntime.Tensors.TensorElementType.Float, session.InputMetadata["size"].ElementDataType);

        var rows = OnnxScoring.Rows(data, model.Metadata.EffectiveEncoding);
        rows.AddRange(OnnxScoring.Unusual(rows, model.Metadata.EffectiveEncoding, 6));
        var expected = model.Predict(rows);
        var actual = OnnxScoring.Run(path, rows);
        for (int i = 0; i < expected.Rows; i++)
        {
            for (int j = 0; j < expected.Cols; j++)
                Assert.True(Math.Abs(expected[i, j] - actual.Values[i, j]) <= Tolerance, $"row {i}");
        }
    }

    [Fact]
    public void AColumnNamedLikeAnOutputIsRefused()
    {
        var metadata = new ModelMetadata(TaskKind.Classification, ["label", "b"], "y", ["p", "q"]);
        var network = new Sequential<float>(new Dense<float>(2, 2));
        var e = Assert.Throws<NotSupportedException>(() => OnnxExporter.ToBytes(network, metadata));
        Assert.Contains("'label'", e.Message);
    }

    [Fact]
    public void AFailedExportLeavesNoFile()
    {
        var metadata = new ModelMetadata(TaskKind.Classification, ["a", "b"], "y", ["p", "q"]);
        var network = new Sequential<float>(new Dense<float>(3, 2)); // takes 3 inputs, the encoding gives 2
        string path = Path.Combine(Dir, "bad.onnx");
        Assert.Throws<ArgumentException>(() => OnnxExporter.Save(path, network, metadata));
        Assert.Empty(Directory.GetFiles(Dir));
    }
}
