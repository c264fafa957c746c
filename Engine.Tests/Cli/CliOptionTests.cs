using System.Text.Json;

namespace Engine.Tests.Cli;

/// <summary>
/// `mlp train` options other than the defaults, each shown to reach the run: the CLI's saved model is compared bit for
/// bit with what <see cref="TabularModel.Fit(DataTable, FitOptions, DataTable?, Action{EpochResult}?, CancellationToken, Action{Checkpoint}?)"/>
/// gives for the same options, and the library run without that option is shown to differ (so an option the CLI
/// dropped would be seen). Several options share a run, since each run is a process of about half a second.
/// </summary>
public sealed class CliOptionTests() : TempDirectoryTests("engine-cli-options-")
{
    private static (int ExitCode, string Stdout, string Stderr) Mlp(string dir, params string[] args) => CliTests.Mlp(dir, args);

    private static bool SameWeights(Sequential<float> a, Sequential<float> b) =>
        a.Parameters.Count == b.Parameters.Count
        && a.Parameters.Zip(b.Parameters).All(p => p.First.Value.AsSpan().SequenceEqual(p.Second.Value.AsSpan()));

    private static void AssertSameModel(TabularModel expected, string path)
    {
        var saved = TabularModel.Load(path);
        Assert.Equal(expected.FeatureNames, saved.FeatureNames);
        Assert.Equal(expected.Task, saved.Task);
        Assert.True(SameWeights(expected.Network, saved.Network), "the CLI's model differs from the library's for the same options");
    }

    private static void AssertSameTest(Evaluation expected, JsonElement json)
    {
        var test = json.GetProperty("test");
        Assert.Equal(Math.Round(expected.Loss, 6), test.GetProperty("loss").GetDouble());
        if (expected.Accuracy is double accuracy)
            Assert.Equal(Math.Round(accuracy, 6), test.GetProperty("accuracy").GetDouble());
        if (expected.R2 is double r2)
        {
            Assert.Equal(Math.Round(r2, 6), test.GetProperty("r2").GetDouble());
            Assert.Equal(Math.Round(expected.Rmse!.Value, 6), test.GetProperty("rmse").GetDouble());
            Assert.Equal(Math.Round(expected.Mae!.Value, 6), test.GetProperty("mae").GetDouble());
        }
    }

    private static JsonElement Train(string dir, params string[] args)
    {
        var (code, stdout, stderr) = Mlp(dir, ["train", .. args, "--json"]);
        Assert.True(code == 0, stderr);
        return JsonDocument.Parse(stdout).RootElement.Clone();
    }

    [Fact]
    public void TargetFirstFeaturesScalerAndNesterovReachTheRun()
    {
        // iris with the target moved to the front
        string csv = Path.Combine(Dir, "iris-target-first.csv");
        File.WriteAllLines(csv, File.ReadAllLines(TestData.DataFile("iris.csv")).Select(line =>
        {
            int comma = line.LastIndexOf(',');
            return $"{line[(comma + 1)..]},{line[..comma]}";
        }));
        string model = Path.Combine(Dir, "m.mlp");
        var json = Train(Dir, csv, "--target", "species", "--features", "petal_length,sepal_width,petal_width", "--scaler", "minmax",
            "--optimizer", "sgd", "--nesterov", "--momentum", "0.8", "--hidden", "8", "--epochs", "5", "--seed", "3", "--out", model);

        var read = new TableOptions { Target = "species", Features = ["petal_length", "sepal_width", "petal_width"] };
        var options = new FitOptions { Hidden = [8], Epochs = 5, Seed = 3, Optimizer = OptimizerKind.Sgd, Momentum = 0.8, Nesterov = true, Scaler = "minmax" };
        var table = DataTable.ReadCsv(csv, read);
        var expected = TabularModel.Fit(table, options);
        AssertSameModel(expected.Model, model);
        AssertSameTest(expected.Test, json);
        Assert.Equal(["petal_length", "sepal_width", "petal_width"], expected.Model.FeatureNames);
        Assert.Equal(["setosa", "versicolor", "virginica"], TabularModel.Load(model).ClassNames!);

        // each option changes the library's run, so the match above shows the CLI passed it on
        Assert.False(SameWeights(expected.Model.Network, TabularModel.Fit(table, options with { Nesterov = false }).Model.Network));
        Assert.False(SameWeights(expected.Model.Network, TabularModel.Fit(table, options with { Scaler = "standard" }).Model.Network));
        Assert.Equal(4, TabularModel.Fit(DataTable.ReadCsv(csv, read with { Features = null }), options).Model.FeatureNames.Count);
    }

    /// <summary>A made-up table: x1, x2 and an integer target "grade" in 0..3 (which looks like classes).</summary>
    private string GradeTable(string name, int rows, ulong seed)
    {
        var rng = new Rng(seed);
        var lines = new List<string> { "x1,x2,grade" };
        for (int i = 0; i < rows; i++)
        {
            double a = rng.NextNormal(), b = rng.NextNormal();
            int grade = Math.Clamp((int)Math.Floor(a + 0.5 * b + 2), 0, 3);
            lines.Add(FormattableString.Invariant($"{a:F4},{b:F4},{grade}"));
        }
        string path = Path.Combine(Dir, name);
        File.WriteAllLines(path, lines);
        return path;
    }

    [Fact]
    public void TaskTestFileWeightDecayAndScheduleReachTheRunAndPredictPrintsRegressionValues()
    {
        string train = GradeTable("grades.csv", 150, 1), test = GradeTable("grades-test.csv", 50, 2);
        string model = Path.Combine(Dir, "g.mlp");
        var json = Train(Dir, train, "--target", "grade", "--task", "regression", "--test-file", test, "--optimizer", "adam",
            "--weight-decay", "0.3", "--schedule", "cosine", "--hidden", "16", "--epochs", "6", "--seed", "2", "--out", model);
        Assert.Equal("regression", json.GetProperty("task").GetString());
        Assert.Equal((150, 50), (json.GetProperty("train_rows").GetInt32(), json.GetProperty("test_rows").GetInt32()));

        var read = new TableOptions { Target = "grade", Task = TaskKind.Regression };
        var table = DataTable.ReadCsv(train, read);
        var testTable = DataTable.ReadCsv(test, read);
        var options = new FitOptions { Hidden = [16], Epochs = 6, Seed = 2, Optimizer = OptimizerKind.Adam, WeightDecay = 0.3, Schedule = "cosine" };
        var expected = TabularModel.Fit(table, options, testTable);
        AssertSameModel(expected.Model, model);
        AssertSameTest(expected.Test, json);

        Assert.Equal(TaskKind.Classification, DataTable.ReadCsv(train, read with { Task = null }).Task); // --task changed it
        Assert.False(SameWeights(expected.Model.Network, TabularModel.Fit(table, options with { WeightDecay = null }, testTable).Model.Network));
        Assert.False(SameWeights(expected.Model.Network, TabularModel.Fit(table, options with { Schedule = "constant" }, testTable).Model.Network));

        // predict to standard output: the target's name, then one value per row, bit for bit the library's
        var (code, stdout, stderr) = Mlp(Dir, "predict", model, test);
        Assert.True(code == 0, stderr);
        string[] lines = stdout.TrimEnd().Split('\n').Select(l => l.TrimEnd('\r')).ToArray();
        Assert.Equal("grade", lines[0]);
        var predictions = expected.Model.Predict(testTable);
        Assert.Equal(51, lines.Length);
        for (int i = 0; i < 50; i++)
            Assert.Equal(predictions[i, 0], float.Parse(lines[i + 1], CultureInfo.InvariantCulture));
    }

    [Fact]
    public void PatienceAndLabelSmoothingReachTheRun()
    {
        string model = Path.Combine(Dir, "p.mlp");
        string iris = TestData.DataFile("iris.csv");
        var json = Train(Dir, iris, "--patience", "2", "--label-smoothing", "0.2", "--lr", "0.05", "--hidden", "8", "--epochs", "40", "--seed", "4", "--out", model);
        var table = DataTable.ReadCsv(iris);
        var options = new FitOptions { Hidden = [8], Epochs = 40, Seed = 4, Patience = 2, LabelSmoothing = 0.2, LearningRate = 0.05 };
        var expected = TabularModel.Fit(table, options);
        AssertSameModel(expected.Model, model);
        AssertSameTest(expected.Test, json);
        Assert.Equal(expected.History.Epochs.Count, json.GetProperty("epochs").GetInt32());
        Assert.Equal(expected.History.StopReason.ToString().ToLowerInvariant(), json.GetProperty("stop_reason").GetString());

        Assert.False(SameWeights(expected.Model.Network, TabularModel.Fit(table, options with { Patience = null }).Model.Network));
        Assert.False(SameWeights(expected.Model.Network, TabularModel.Fit(table, options with { LabelSmoothing = 0 }).Model.Network));
    }

    [Fact]
    public void ADivergingRunExitsOneAndSavesTheLastGoodWeights()
    {
        string model = Path.Combine(Dir, "d.mlp");
        string iris = TestData.DataFile("iris.csv");
        var (code, _, stderr) = Mlp(Dir, "train", iris, "--optimizer", "sgd", "--lr", "1e30", "--epochs", "5", "--seed", "1", "--out", model);
        Assert.Equal(1, code);
        var expected = TabularModel.Fit(DataTable.ReadCsv(iris), new FitOptions { Optimizer = OptimizerKind.Sgd, LearningRate = 1e30, Epochs = 5, Seed = 1 });
        Assert.Equal(StopReason.Diverged, expected.History.StopReason);
        string line = Assert.Single(stderr.TrimEnd().Split('\n'));
        Assert.Equal($"mlp: {expected.History.Message} Those weights were saved to {model}.", line);
        AssertSameModel(expected.Model, model);
        Assert.All(TabularModel.Load(model).Network.Parameters, p => Assert.True(float.IsFinite(TensorPrimitives.Sum<float>(p.Value.AsSpan()))));
    }

    [Theory]
    [InlineData("prelu", 0.25)]          // PReLU's slope starts at 0.25
    [InlineData("leaky-relu", 0.5)]
    public void TheFirstLayersGetHeWithTheRectifiersGainOverTheirInputs(string activation, double slope)
    {
        // an SGD step of 1e-30 leaves the weights as drawn; digits' 61 non-constant inputs → 400 → 30: fan_in ≠ fan_out in both
        string model = Path.Combine(Dir, "init.mlp");
        Train(Dir, TestData.DataFile("digits.csv"), "--hidden", "400,30", "--activation", activation, "--negative-slope", slope.ToString(CultureInfo.InvariantCulture),
            "--epochs", "1", "--optimizer", "sgd", "--lr", "1e-30", "--momentum", "0", "--seed", "1", "--out", model);
        var network = TabularModel.Load(model).Network;
        var first = (Dense<float>)network.Layers[0];
        var second = (Dense<float>)network.Layers[2];
        Assert.Equal((61, 400, 30), (first.InFeatures, first.OutFeatures, second.OutFeatures));
        Layers.InitializerWiringTests.AssertSpread(Layers.InitializerWiringTests.HeStd(61, slope), Layers.InitializerWiringTests.Rms(first.Weight.Value.AsSpan()), 0.015, "Dense(61 → 400)");
        Layers.InitializerWiringTests.AssertSpread(Layers.InitializerWiringTests.HeStd(400, slope), Layers.InitializerWiringTests.Rms(second.Weight.Value.AsSpan()), 0.015, "Dense(400 → 30)");
    }
}
