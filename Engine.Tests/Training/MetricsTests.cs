namespace Engine.Tests.Training;

/// <summary>Metrics against hand values, and the evaluator's chunked forward pass (1,024 rows a chunk) against a naive one.</summary>
public class MetricsTests
{
    private static Matrix<float> M(int rows, int cols, params float[] values) => new(rows, cols, values);

    [Fact]
    public void RmseMaeAndR2ByHand()
    {
        // differences 0, −1, 1, −2: Σd² = 6, Σ|d| = 4; targets' mean 3, Σ(t − 3)² = 4 + 0 + 1 + 9 = 14
        var p = M(4, 1, 1, 2, 3, 4);
        var t = M(4, 1, 1, 3, 2, 6);
        Assert.Equal(Math.Sqrt(1.5), Metrics.Rmse(p, t), 14);
        Assert.Equal(1.0, Metrics.Mae(p, t), 14);
        Assert.Equal(1 - 6.0 / 14, Metrics.R2(p, t), 14);
    }

    [Fact]
    public void MetricsAverageOverEveryElementOfSeveralColumns()
    {
        // 2 rows × 2 columns: differences 3, 0, 0, −1 → Σd² = 10, Σ|d| = 4 over 4 elements
        var p = M(2, 2, 4, 1, 2, 0);
        var t = M(2, 2, 1, 1, 2, 1);
        Assert.Equal(Math.Sqrt(10.0 / 4), Metrics.Rmse(p, t), 14);
        Assert.Equal(1.0, Metrics.Mae(p, t), 14);
    }

    [Fact]
    public void R2OfPerfectMeanAndConstantPredictions()
    {
        var t = M(3, 1, 2, 4, 9);
        Assert.Equal(1.0, Metrics.R2(t.Clone(), t));
        Assert.Equal(0.0, Metrics.R2(M(3, 1, 5, 5, 5), t), 14);                 // the mean predicts nothing
        Assert.Equal(1 - 101.0 / 26, Metrics.R2(M(3, 1, 10, 10, 10), t), 14);  // worse than the mean: 64 + 36 + 1 over 26
        Assert.Equal(1.0, Metrics.R2(M(2, 1, 7, 7), M(2, 1, 7, 7)));            // constant targets, exact
        Assert.Equal(0.0, Metrics.R2(M(2, 1, 7, 8), M(2, 1, 7, 7)));            // constant targets, missed
    }

    [Fact]
    public void AccuracyByHand()
    {
        var logits = M(4, 3, 0.1f, 0.9f, 0.0f, 2, 1, 0, -1, -2, -0.5f, 5, 5, 1); // arg-max 1, 0, 2, 0 (first of a tie)
        Assert.Equal(0.75, Metrics.Accuracy(logits, M(4, 1, 1, 0, 2, 1)));
        Assert.Equal(1.0, Metrics.Accuracy(logits, M(4, 1, 1, 0, 2, 0)));
        Assert.Equal(0.0, Metrics.Accuracy(new Matrix<float>(0, 3), new Matrix<float>(0, 1)));
        Assert.Throws<ArgumentException>(() => Metrics.Accuracy(logits, new Matrix<float>(3, 1)));
        Assert.Throws<ArgumentException>(() => Metrics.Rmse(new Matrix<float>(0, 1), new Matrix<float>(0, 1)));
        Assert.Throws<ArgumentException>(() => Metrics.Mae(M(2, 1, 1, 2), M(1, 2, 1, 2)));
    }

    [Fact]
    public void PredictAndEvaluateCoverEveryRowPastSeveralChunks()
    {
        const int n = 2 * Evaluator.ChunkRows + 452; // chunks of 1024, 1024 and 452 rows
        var rng = new Rng(21);
        var model = Mlp.Create(3, [5], 2, seed: 4);
        var x = new Matrix<float>(n, 3);
        var labels = new Matrix<float>(n, 1);
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < 3; j++)
                x[i, j] = (float)rng.NextNormal();
            labels[i, 0] = rng.NextInt(2);
        }
        var predicted = Evaluator.Predict(model, x);
        Assert.Equal((n, 2), (predicted.Rows, predicted.Cols));
        double loss = 0;
        int correct = 0;
        for (int i = 0; i < n; i++)
        {
            double[] z = NaiveMlp.Forward(model, x.Row(i));
            for (int k = 0; k < 2; k++)
                Assert.True(Math.Abs(z[k] - predicted[i, k]) < 1e-5, $"row {i}, output {k}: {predicted[i, k]} vs {z[k]}");
            int label = (int)labels[i, 0];
            loss += Math.Log(Math.Exp(z[0]) + Math.Exp(z[1])) - z[label];
            if ((z[1] > z[0] ? 1 : 0) == label)
                correct++;
        }
        var evaluation = Evaluator.Evaluate(model, new SoftmaxCrossEntropy<float>(), new Dataset(x, labels, ["a", "b", "c"], "y", TaskKind.Classification, ["0", "1"], "random"));
        Assert.Equal(loss / n, evaluation.Loss, 5);
        Assert.Equal((double)correct / n, evaluation.Accuracy!.Value, 12);
        Assert.Null(evaluation.Rmse);

        // regression: the metrics over all rows
        var one = Mlp.Create(3, [5], 1, seed: 6);
        var targets = new Matrix<float>(n, 1);
        for (int i = 0; i < n; i++)
            targets[i, 0] = (float)rng.NextNormal();
        var regression = Evaluator.Evaluate(one, new MeanSquaredError<float>(), new Dataset(x, targets, ["a", "b", "c"], "y", TaskKind.Regression, null, "random"));
        double sse = 0, sae = 0, mean = Enumerable.Range(0, n).Average(i => (double)targets[i, 0]), sst = 0;
        for (int i = 0; i < n; i++)
        {
            double d = NaiveMlp.Forward(one, x.Row(i))[0] - targets[i, 0];
            sse += d * d;
            sae += Math.Abs(d);
            sst += (targets[i, 0] - mean) * (targets[i, 0] - mean);
        }
        Assert.Equal(sse / n, regression.Loss, 5);
        Assert.Equal(Math.Sqrt(sse / n), regression.Rmse!.Value, 5);
        Assert.Equal(sae / n, regression.Mae!.Value, 5);
        Assert.Equal(1 - sse / sst, regression.R2!.Value, 5);
        Assert.Null(regression.Accuracy);
    }

    [Fact]
    public void PredictOfNoRowsHasTheOutputWidth()
    {
        var model = Mlp.Create(3, [5], 4, seed: 4);
        var y = Evaluator.Predict(model, new Matrix<float>(0, 3));
        Assert.Equal((0, 4), (y.Rows, y.Cols));
    }
}
