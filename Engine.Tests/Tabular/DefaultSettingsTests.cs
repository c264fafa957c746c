namespace Engine.Tests.Tabular;

/// <summary>
/// The defaults are part of the product: with them and seed 1 every data/ set clears its floor
/// (the same settings `mlp train data/NAME.csv --seed 1` uses).
/// </summary>
public class DefaultSettingsTests
{
    [Theory]
    [InlineData("iris.csv", 0.93)]
    [InlineData("wine.csv", 0.94)]
    [InlineData("breast_cancer.csv", 0.95)]
    [InlineData("digits.csv", 0.95)]
    public void ClassificationReachesItsFloor(string file, double floor)
    {
        var result = TabularModel.Fit(CsvDataset.Load(TestData.DataFile(file)), new FitOptions { Seed = 1 });
        Assert.True(result.Test.Accuracy >= floor, $"{file}: test accuracy {result.Test.Accuracy:F4} < {floor}");
    }

    [Fact]
    public void DiabetesReachesItsR2Floor()
    {
        var result = TabularModel.Fit(CsvDataset.Load(TestData.DataFile("diabetes.csv")), new FitOptions { Seed = 1 });
        Assert.True(result.Test.R2 >= 0.40, $"diabetes: test R² {result.Test.R2:F4} < 0.40");
    }
}
