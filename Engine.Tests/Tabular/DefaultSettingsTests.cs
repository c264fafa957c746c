namespace Engine.Tests.Tabular;

/// <summary>
/// The defaults are part of the product: with them and seed 1 every data/ set clears its floor
/// (the same settings `mlp train data/NAME.csv --seed 1` uses).
/// </summary>
public class DefaultSettingsTests
{
    [Theory]
    [InlineData("iris.csv", TaskKind.Classification, 0.93)]
    [InlineData("wine.csv", TaskKind.Classification, 0.94)]
    [InlineData("breast_cancer.csv", TaskKind.Classification, 0.95)]
    [InlineData("digits.csv", TaskKind.Classification, 0.95)]
    [InlineData("diabetes.csv", TaskKind.Regression, 0.40)]
    public void ReachesItsFloor(string file, TaskKind task, double floor)
    {
        var result = TabularModel.Fit(CsvDataset.Load(TestData.DataFile(file)), new FitOptions { Seed = 1 });
        Assert.Equal(task, result.Model.Task);
        // the floor is on test accuracy for a classification set, on test R² for a regression one
        var (metric, value) = task == TaskKind.Classification ? ("accuracy", result.Test.Accuracy) : ("R²", result.Test.R2);
        Assert.True(value >= floor, $"{file}: test {metric} {value:F4} < {floor}");
    }
}
