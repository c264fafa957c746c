namespace Engine.Tests.Training;

/// <summary>The evaluation reports against values worked out by hand (scikit-learn's definitions).</summary>
public class ReportTests
{
    [Fact]
    public void ClassificationReportMatchesHandValues()
    {
        // true 0 0 1 1 1 2 2, predicted 0 1 1 1 1 2 0: the predicted class gets 0.6, the others 0.2
        int[] truth = [0, 0, 1, 1, 1, 2, 2], predicted = [0, 1, 1, 1, 1, 2, 0];
        var p = new Matrix<float>(7, 4);
        var y = new Matrix<float>(7, 1);
        for (int i = 0; i < 7; i++)
        {
            y[i, 0] = truth[i];
            for (int c = 0; c < 3; c++)
                p[i, c] = c == predicted[i] ? 0.6f : 0.2f;
        }
        var r = ClassificationReport.From(p, y, ["a", "b", "c", "d"]); // d: no rows, never predicted
        Assert.Equal([[1, 1, 0, 0], [0, 3, 0, 0], [1, 0, 1, 0], [0, 0, 0, 0]], r.Confusion);
        Expect(r.PerClass[0], 0.5, 0.5, 0.5, 2);
        Expect(r.PerClass[1], 0.75, 1, 2 * 0.75 / 1.75, 3);
        Expect(r.PerClass[2], 1, 0.5, 2 * 0.5 / 1.5, 2);
        Expect(r.PerClass[3], 0, 0, 0, 0);
        Expect(r.MacroAverage, 2.25 / 4, 2.0 / 4, (0.5 + 1.5 / 1.75 + 1 / 1.5) / 4, 7);
        Expect(r.WeightedAverage, (0.5 * 2 + 0.75 * 3 + 1 * 2) / 7, (0.5 * 2 + 1 * 3 + 0.5 * 2) / 7.0, (0.5 * 2 + 1.5 / 1.75 * 3 + 1 / 1.5 * 2) / 7, 7);
        Assert.Equal(5.0 / 7, r.Accuracy, 12);
        Assert.Equal(-(5 * Math.Log(0.6f) + 2 * Math.Log(0.2f)) / 7, r.LogLoss, 9);
    }

    [Fact]
    public void LogLossClipsAZeroProbability()
    {
        var p = new Matrix<float>(1, 2, [1f, 0f]);
        var r = ClassificationReport.From(p, new Matrix<float>(1, 1, [1f]), ["no", "yes"]);
        Assert.Equal(-Math.Log(ClassificationReport.LogLossEpsilon), r.LogLoss, 9);
    }

    [Fact]
    public void RegressionReportMatchesHandValues()
    {
        // residuals t − p = 1, 0, 2, −1; sorted −1, 0, 1, 2
        var r = RegressionReport.From(new Matrix<float>(4, 1, [1f, 2f, 3f, 4f]), new Matrix<float>(4, 1, [2f, 2f, 5f, 3f]));
        Assert.Equal(1, r.Mae, 12);
        Assert.Equal(Math.Sqrt(1.5), r.Rmse, 12);
        Assert.Equal(0, r.R2, 12); // Σ residual² = Σ (t − t̄)² = 6
        double[] expected = [-1, -0.85, -0.25, 0.5, 1.25, 1.85, 2];
        Assert.Equal(RegressionReport.Quantiles, r.ResidualQuantiles.Select(q => q.Quantile));
        for (int i = 0; i < expected.Length; i++)
            Assert.Equal(expected[i], r.ResidualQuantiles[i].Residual, 12);
    }

    private static void Expect(ClassMetrics m, double precision, double recall, double f1, int support)
    {
        Assert.Equal(precision, m.Precision, 12);
        Assert.Equal(recall, m.Recall, 12);
        Assert.Equal(f1, m.F1, 12);
        Assert.Equal(support, m.Support);
    }
}
