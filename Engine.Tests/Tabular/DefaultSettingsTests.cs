namespace Engine.Tests.Tabular;

/// <summary>
/// The defaults are part of the product: with them and seed 1, read as `mlp train FILE --seed 1` reads it, every
/// data/ set and every shared table reaches at least the figure the README publishes for it (training is
/// deterministic, so these are the exact results less a rounding margin; a change that lowers one fails here).
/// </summary>
public class DefaultSettingsTests
{
    [Theory]
    [InlineData("iris.csv", TaskKind.Classification, 0.9667)]
    [InlineData("wine.csv", TaskKind.Classification, 1.0)]
    [InlineData("breast_cancer.csv", TaskKind.Classification, 0.9735)]
    [InlineData("digits.csv", TaskKind.Classification, 0.9805)]
    [InlineData("diabetes.csv", TaskKind.Regression, 0.5617)]
    public void DataSetReachesItsPublishedResult(string file, TaskKind task, double published) =>
        Check(TestData.DataFile(file), null, task, published);

    [RequiresDatasetFact("tabular/targets.tsv")]
    public void SharedTablesReachTheirPublishedResults()
    {
        (string File, string Target, TaskKind Task, double Published)[] tables =
        [
            ("churn.csv", "churn", TaskKind.Classification, 0.9220),
            ("sacramento.csv", "price", TaskKind.Regression, 0.6816),
            ("hpc.csv", "class", TaskKind.Classification, 0.7737),
            ("soybean.csv", "Class", TaskKind.Classification, 0.9562),
            ("servo.csv", "Class", TaskKind.Regression, 0.8352),
            ("ozone.csv", "V4", TaskKind.Regression, 0.7594),
            ("airquality.csv", "Ozone", TaskKind.Regression, 0.7697),
            ("glass.csv", "Type", TaskKind.Classification, 0.6512),
        ];
        foreach (var t in tables)
            Check(DataFiles.Shared("tabular/" + t.File)!, t.Target, t.Task, t.Published);
    }

    private static void Check(string path, string? target, TaskKind task, double published)
    {
        var result = TabularModel.Fit(DataTable.ReadCsv(path, new TableOptions { Target = target }), new FitOptions { Seed = 1 });
        Assert.Equal(task, result.Model.Task);
        // on test accuracy for a classification set, on test R² for a regression one (4 decimals as published)
        var (metric, value) = task == TaskKind.Classification ? ("accuracy", result.Test.Accuracy) : ("R²", result.Test.R2);
        Assert.True(value >= published - 5e-5, $"{Path.GetFileName(path)}: test {metric} {value:F4} < {published}");
    }
}
