namespace Engine.Tests.Tabular;

/// <summary>
/// A fitted model's reports against figures computed from its own predictions by hand (confusion counts, residual
/// order statistics) and against <see cref="TabularModel.Evaluate(DataTable)"/>'s loss and metrics; each report is
/// null for the other task, and labelled rows of the wrong kind are refused by name.
/// </summary>
public class TabularReportTests
{
    private static readonly Dataset Iris = CsvDataset.Load(TestData.DataFile("iris.csv"));
    private static readonly Dataset Diabetes = CsvDataset.Load(TestData.DataFile("diabetes.csv"));

    [Fact]
    public void TheClassificationReportCountsEachRowsPredictedClass()
    {
        var model = TabularModel.Fit(Iris, new FitOptions { Seed = 1, Epochs = 3 }).Model;
        var table = DataTable.FromDataset(Iris);
        var report = model.ClassificationReport(table)!;

        int[] predicted = model.PredictClasses(Iris.Features);
        var confusion = new int[3][];
        for (int c = 0; c < 3; c++)
            confusion[c] = new int[3];
        for (int i = 0; i < Iris.Count; i++)
            confusion[(int)Iris.Targets[i, 0]][predicted[i]]++;
        Assert.Equal(confusion, report.Confusion);
        Assert.Equal(["setosa", "versicolor", "virginica"], report.Classes);
        Assert.Equal((double)Enumerable.Range(0, 3).Sum(c => confusion[c][c]) / Iris.Count, report.Accuracy, 12);
        var evaluation = model.Evaluate(Iris);
        Assert.Equal(evaluation.Accuracy!.Value, report.Accuracy, 12);
        Assert.Equal(evaluation.Loss, report.LogLoss, 5); // the cross-entropy of the logits is the log-loss of their softmax
        Assert.Null(model.RegressionReport(table));
    }

    [Fact]
    public void TheRegressionReportsResidualsAreTheTargetsMinusThePredictions()
    {
        var model = TabularModel.Fit(Diabetes, new FitOptions { Seed = 1, Epochs = 3 }).Model;
        var table = DataTable.FromDataset(Diabetes);
        var report = model.RegressionReport(table)!;

        var predictions = model.Predict(Diabetes.Features);
        double[] residuals = [.. Enumerable.Range(0, Diabetes.Count).Select(i => (double)Diabetes.Targets[i, 0] - predictions[i, 0]).Order()];
        Assert.Equal(residuals[0], report.ResidualQuantiles[0].Residual, 3);
        Assert.Equal(residuals[^1], report.ResidualQuantiles[^1].Residual, 3);
        int n = residuals.Length; // 442: the median is the mean of the middle two
        Assert.Equal((residuals[n / 2 - 1] + residuals[n / 2]) / 2, report.ResidualQuantiles[3].Residual, 3);
        var evaluation = model.Evaluate(Diabetes);
        Assert.Equal(evaluation.Mae!.Value, report.Mae, 6);
        Assert.Equal(evaluation.Rmse!.Value, report.Rmse, 6);
        Assert.Equal(evaluation.R2!.Value, report.R2, 6);
        Assert.Equal(residuals.Average(Math.Abs), report.Mae, 3);
        Assert.Null(model.ClassificationReport(table));
    }

    [Fact]
    public void RowsWithoutTheTargetOrOfTheOtherTaskAreRefused()
    {
        var model = TabularModel.Fit(Iris, new FitOptions { Seed = 1, Epochs = 1 }).Model;
        var unlabelled = DataTable.ReadCsv(TestData.DataFile("iris.csv"), model.ReadOptions(withTarget: false));
        Assert.Null(unlabelled.Targets);
        var ex = Assert.Throws<IncompatibleDataException>(() => model.Evaluate(unlabelled));
        Assert.EndsWith(": the target column 'species' is missing.", ex.Message, StringComparison.Ordinal);
        Assert.Throws<IncompatibleDataException>(() => model.ClassificationReport(unlabelled));

        // the same columns with a numeric target: regression rows for a classification model
        var numbers = new Dataset(Iris.Features, Iris.Targets, Iris.FeatureNames, "species", TaskKind.Regression, null, "numbers");
        ex = Assert.Throws<IncompatibleDataException>(() => model.Evaluate(numbers));
        Assert.Equal("numbers: the target 'species' is regression but the model does classification.", ex.Message);
        Assert.Throws<InvalidOperationException>(() => TabularModel.Fit(Diabetes, new FitOptions { Seed = 1, Epochs = 1 }).Model.PredictClasses(Diabetes.Features));
    }

    [Fact]
    public void ReadOptionsNameTheFeaturesByKindAndTheTargetOnlyWhenAsked()
    {
        var model = TabularModel.Fit(Iris, new FitOptions { Seed = 1, Epochs = 1 }).Model;
        var labelled = model.ReadOptions(withTarget: true);
        Assert.Equal(Iris.FeatureNames, labelled.Features);
        Assert.Equal(Iris.FeatureNames, labelled.Numeric);
        Assert.Empty(labelled.Categorical!);
        Assert.Equal("species", labelled.Target);
        Assert.False(labelled.TargetOptional);
        Assert.Equal(TaskKind.Classification, labelled.Task);
        Assert.Equal(["setosa", "versicolor", "virginica"], labelled.ClassNames!);
        var unlabelled = model.ReadOptions(withTarget: false);
        Assert.Null(unlabelled.Target);
        Assert.True(unlabelled.TargetOptional);
    }
}
