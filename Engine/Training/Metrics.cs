namespace Engine.Training;

/// <summary>Evaluation metrics over a whole set of predictions, accumulated in double.</summary>
public static class Metrics
{
    /// <summary>Fraction of rows whose arg-max logit equals the class index in <paramref name="labels"/> (n×1).</summary>
    public static double Accuracy(Matrix<float> logits, Matrix<float> labels)
    {
        CheckRows(logits, labels);
        if (logits.Rows == 0)
            return 0;
        int correct = 0;
        for (int i = 0; i < logits.Rows; i++)
        {
            if (TensorPrimitives.IndexOfMax<float>(logits.Row(i)) == (int)labels[i, 0])
                correct++;
        }
        return (double)correct / logits.Rows;
    }

    /// <summary>Root mean squared error √(Σ(y − t)²/n) over all elements.</summary>
    public static double Rmse(Matrix<float> predictions, Matrix<float> targets) =>
        Math.Sqrt(Sum(predictions, targets, static (p, t) => (p - t) * (p - t)) / Count(predictions, targets));

    /// <summary>Mean absolute error Σ|y − t|/n over all elements.</summary>
    public static double Mae(Matrix<float> predictions, Matrix<float> targets) =>
        Sum(predictions, targets, static (p, t) => Math.Abs(p - t)) / Count(predictions, targets);

    /// <summary>Coefficient of determination R² = 1 − Σ(y − t)² / Σ(t − t̄)² (scikit-learn's r2_score for one output).</summary>
    public static double R2(Matrix<float> predictions, Matrix<float> targets)
    {
        int n = Count(predictions, targets);
        double mean = 0;
        foreach (float t in targets.AsSpan())
            mean += t;
        mean /= n;
        double residual = Sum(predictions, targets, static (p, t) => (p - t) * (p - t));
        double total = 0;
        foreach (float t in targets.AsSpan())
            total += (t - mean) * (t - mean);
        return total == 0 ? (residual == 0 ? 1 : 0) : 1 - residual / total;
    }

    private static double Sum(Matrix<float> predictions, Matrix<float> targets, Func<double, double, double> term)
    {
        ReadOnlySpan<float> p = predictions.AsSpan(), t = targets.AsSpan();
        double sum = 0;
        for (int i = 0; i < p.Length; i++)
            sum += term(p[i], t[i]);
        return sum;
    }

    private static int Count(Matrix<float> predictions, Matrix<float> targets)
    {
        Check.SameShape(predictions, targets, nameof(predictions), nameof(targets));
        if (predictions.Length == 0)
            throw new ArgumentException("Metrics need at least one prediction.", nameof(predictions));
        return predictions.Length;
    }

    private static void CheckRows(Matrix<float> output, Matrix<float> labels)
    {
        if (output.Rows != labels.Rows || labels.Cols != 1)
            throw new ArgumentException($"Shape mismatch: output is {output.ShapeString} but labels are {labels.ShapeString}; labels must be n×1 with the same n.", nameof(labels));
    }
}
