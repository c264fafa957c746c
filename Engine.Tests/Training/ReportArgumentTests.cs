namespace Engine.Tests.Training;

/// <summary>
/// The reports, metrics and evaluator refuse inputs that do not fit (with an <see cref="ArgumentException"/> naming
/// the problem, never an index error from inside), name their averages as scikit-learn does, and clip a certain
/// prediction's log-loss at 1 − ε as scikit-learn 1.2 does.
/// </summary>
public class ReportArgumentTests
{
    private static readonly Matrix<float> Probabilities = new(3, 2, [0.7f, 0.3f, 0.2f, 0.8f, 0.5f, 0.5f]);
    private static readonly Matrix<float> Labels = new(3, 1, [0f, 1f, 1f]);

    [Fact]
    public void ClassificationReportRefusesLabelsThatDoNotFit()
    {
        string[] classes = ["no", "yes"];
        Assert.Throws<ArgumentException>(() => ClassificationReport.From(Probabilities, Labels, ["a", "b", "c"])); // 2 columns for 3 classes
        Assert.StartsWith("labels must be 3×1 with n ≥ 1, got 2×1.",
            Assert.Throws<ArgumentException>(() => ClassificationReport.From(Probabilities, new Matrix<float>(2, 1), classes)).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => ClassificationReport.From(Probabilities, new Matrix<float>(3, 2), classes));
        Assert.Throws<ArgumentException>(() => ClassificationReport.From(new Matrix<float>(0, 2), new Matrix<float>(0, 1), classes));
        foreach (float bad in new[] { 2f, -1f })
        {
            var labels = new Matrix<float>(3, 1, [0f, bad, 1f]);
            var ex = Assert.Throws<ArgumentException>(() => ClassificationReport.From(Probabilities, labels, classes));
            Assert.StartsWith($"label {bad} of row 1 is not a class index below 2.", ex.Message, StringComparison.Ordinal);
        }
        Assert.Equal("probabilities", Assert.Throws<ArgumentNullException>(() => ClassificationReport.From(null!, Labels, classes)).ParamName);
        Assert.Equal("labels", Assert.Throws<ArgumentNullException>(() => ClassificationReport.From(Probabilities, null!, classes)).ParamName);
        Assert.Equal("classes", Assert.Throws<ArgumentNullException>(() => ClassificationReport.From(Probabilities, Labels, null!)).ParamName);
    }

    [Fact]
    public void AveragesAreNamedAsScikitLearnNamesThem()
    {
        var r = ClassificationReport.From(Probabilities, Labels, ["no", "yes"]);
        Assert.Equal(["no", "yes"], r.PerClass.Select(m => m.Name));
        Assert.Equal("macro avg", r.MacroAverage.Name);
        Assert.Equal("weighted avg", r.WeightedAverage.Name);
    }

    [Fact]
    public void ACertainRightPredictionCostsTheClippedLogLoss()
    {
        // p = 1 for the true class is clipped to 1 − 1e-15: log-loss −log(1 − 1e-15) ≈ 1e-15, not 0
        var r = ClassificationReport.From(new Matrix<float>(1, 2, [1f, 0f]), new Matrix<float>(1, 1, [0f]), ["no", "yes"]);
        double expected = -Math.Log(1 - 1e-15);
        Assert.True(expected > 9e-16);
        Assert.Equal(expected, r.LogLoss, 1e-20);
    }

    [Fact]
    public void RegressionReportRefusesShapesThatDoNotMatch()
    {
        var three = new Matrix<float>(3, 1, [1f, 2f, 3f]);
        var ex = Assert.Throws<ArgumentException>(() => RegressionReport.From(three, new Matrix<float>(4, 1)));
        Assert.StartsWith("Shape mismatch: predictions is 3×1 but targets is 4×1.", ex.Message, StringComparison.Ordinal);
        Assert.Equal("predictions", Assert.Throws<ArgumentNullException>(() => RegressionReport.From(null!, three)).ParamName);
        Assert.Equal("targets", Assert.Throws<ArgumentNullException>(() => RegressionReport.From(three, null!)).ParamName);
    }

    [Fact]
    public void MetricsSayWhatIsWrong()
    {
        Assert.StartsWith("Metrics need at least one prediction.",
            Assert.Throws<ArgumentException>(() => Metrics.Mae(new Matrix<float>(0, 1), new Matrix<float>(0, 1))).Message, StringComparison.Ordinal);
        Assert.StartsWith("Shape mismatch: output is 3×2 but labels are 2×1; labels must be n×1 with the same n.",
            Assert.Throws<ArgumentException>(() => Metrics.Accuracy(Probabilities, new Matrix<float>(2, 1))).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EvaluatorNamesAMissingArgument()
    {
        var model = Mlp.Create(2, [3], 2, seed: 1);
        var data = Samples.Blobs(4, 1, center: 1);
        Assert.Equal("model", Assert.Throws<ArgumentNullException>(() => Evaluator.Predict(null!, data.Features)).ParamName);
        Assert.Equal("features", Assert.Throws<ArgumentNullException>(() => Evaluator.Predict(model, null!)).ParamName);
        Assert.Equal("loss", Assert.Throws<ArgumentNullException>(() => Evaluator.Evaluate(model, null!, data)).ParamName);
        Assert.Equal("data", Assert.Throws<ArgumentNullException>(() => Evaluator.Evaluate(model, new SoftmaxCrossEntropy<float>(), null!)).ParamName);
    }
}
