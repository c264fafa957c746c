namespace Engine.Tests.Tabular;

public sealed class TabularModelTests() : TempDirectoryTests("engine-tabular-")
{
    [Fact]
    public void IrisTrainsSavesAndLoadsWithIdenticalPredictions()
    {
        var data = CsvDataset.Load(TestData.DataFile("iris.csv"));
        var result = TabularModel.Fit(data, new FitOptions { Seed = 1, Epochs = 60 });
        Assert.True(result.Test.Accuracy >= 0.93, $"accuracy {result.Test.Accuracy}"); // iris' floor in DefaultSettingsTests
        Assert.Equal(120, result.TrainRows);
        Assert.Equal(30, result.TestRows);

        string path = Path.Combine(Dir, "iris.mlp");
        result.Model.Save(path);
        var loaded = TabularModel.Load(path);
        Assert.Equal(result.Model.Predict(data.Features).AsSpan().ToArray(), loaded.Predict(data.Features).AsSpan().ToArray());
        Assert.Equal(["setosa", "versicolor", "virginica"], loaded.ClassNames!);
        Assert.Equal(result.Test, loaded.Evaluate(DataSplit.TrainTest(data, 0.2, 1).Test));
    }

    [Fact]
    public void TheModelFileRecordsTheSeedEpochsAndOptimizerOfTheFit()
    {
        var data = Samples.Blobs(40, 5, center: 1.5);
        var model = TabularModel.Fit(data, new FitOptions { Hidden = [4], Seed = 7, Epochs = 2, Optimizer = OptimizerKind.Sgd }).Model;
        var expected = new Dictionary<string, string> { ["seed"] = "7", ["epochs"] = "2", ["optimizer"] = "Sgd" };
        Assert.Equal(expected, model.Metadata.Training);

        string path = Path.Combine(Dir, "blobs.mlp");
        model.Save(path);
        Assert.Equal(expected, TabularModel.Load(path).Metadata.Training);
    }

    [Fact]
    public void RegressionMetricsAreInTheTargetsUnits()
    {
        var data = CsvDataset.Load(TestData.DataFile("diabetes.csv"));
        var result = TabularModel.Fit(data, new FitOptions { Seed = 1, Epochs = 30 });
        var predictions = result.Model.Predict(data.Features);
        double mean = predictions.AsSpan().ToArray().Average(v => (double)v);
        Assert.InRange(mean, 100, 200); // the target's mean is ≈ 152; standardized outputs would be near 0
        Assert.True(result.Test.R2 >= 0.40, $"R² {result.Test.R2}"); // diabetes' floor in DefaultSettingsTests
        Assert.True(result.Test.Rmse > 10);
    }

    [Fact]
    public void EvaluateRefusesDataWithOtherColumns()
    {
        var iris = CsvDataset.Load(TestData.DataFile("iris.csv"));
        var model = TabularModel.Fit(iris, new FitOptions { Seed = 1, Epochs = 2 }).Model;
        var wine = CsvDataset.Load(TestData.DataFile("wine.csv"));
        Assert.Throws<IncompatibleDataException>(() => model.Evaluate(wine));
    }

    [Fact]
    public void ProbabilitiesStayFiniteForHugeLogits()
    {
        // unscaled wine features give logits in the hundreds: e^z alone would overflow to ∞ and ∞/∞ to NaN
        var data = CsvDataset.Load(TestData.DataFile("wine.csv"));
        var model = TabularModel.Fit(data, new FitOptions { Seed = 1, Epochs = 3, Scaler = "none" }).Model;
        var x = data.Features.Clone();
        TensorPrimitives.Multiply(x.AsSpan(), 1000f, x.AsSpan());
        var p = model.Predict(x);
        for (int i = 0; i < p.Rows; i++)
        {
            Assert.All(p.Row(i).ToArray(), v => Assert.True(v >= 0 && v <= 1, $"row {i}: probability {v}"));
            Assert.Equal(1.0, p.Row(i).ToArray().Sum(v => (double)v), 5);
        }
    }
}
