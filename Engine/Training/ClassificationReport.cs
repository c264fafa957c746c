namespace Engine.Training;

/// <summary>Precision, recall, F1 and support of one class (or an average over the classes).</summary>
/// <param name="Name">The class label, or "macro avg" / "weighted avg".</param>
/// <param name="Precision">TP / (TP + FP): of the rows predicted as this class, the share that are; 0 when none are predicted.</param>
/// <param name="Recall">TP / (TP + FN): of the rows of this class, the share found; 0 when there are none.</param>
/// <param name="F1">2·P·R / (P + R), 0 when both are 0.</param>
/// <param name="Support">Rows whose true class this is (for an average: all rows).</param>
public sealed record ClassMetrics(string Name, double Precision, double Recall, double F1, int Support);

/// <summary>
/// What scikit-learn's <c>classification_report</c> and <c>confusion_matrix</c> show, plus accuracy and log-loss:
/// per class precision, recall, F1 and support, their macro (unweighted) and weighted (by support) averages, and
/// the confusion matrix with true classes as rows and predicted classes as columns. Precision and recall of a
/// class with no predicted or no true rows are 0 (scikit-learn's zero_division = 0).
/// </summary>
public sealed record ClassificationReport(
    IReadOnlyList<string> Classes,
    int[][] Confusion,
    IReadOnlyList<ClassMetrics> PerClass,
    ClassMetrics MacroAverage,
    ClassMetrics WeightedAverage,
    double Accuracy,
    double LogLoss)
{
    /// <summary>Probabilities are clipped to [ε, 1 − ε] before the log, as scikit-learn 1.2's log_loss does.</summary>
    public const double LogLossEpsilon = 1e-15;

    /// <summary>
    /// The report for <paramref name="probabilities"/> (n × classes, rows summing to 1) against the class indices in
    /// <paramref name="labels"/> (n × 1); the predicted class is each row's largest probability.
    /// </summary>
    public static ClassificationReport From(Matrix<float> probabilities, Matrix<float> labels, IReadOnlyList<string> classes)
    {
        ArgumentNullException.ThrowIfNull(probabilities);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(classes);
        int k = classes.Count, n = probabilities.Rows;
        Check.Columns(probabilities, k, nameof(probabilities));
        if (labels.Rows != n || labels.Cols != 1 || n == 0)
            throw new ArgumentException($"labels must be {n}×1 with n ≥ 1, got {labels.ShapeString}.", nameof(labels));
        int[][] confusion = [.. Enumerable.Range(0, k).Select(_ => new int[k])];
        double logLoss = 0;
        for (int i = 0; i < n; i++)
        {
            int truth = (int)labels[i, 0];
            if ((uint)truth >= (uint)k)
                throw new ArgumentException($"label {labels[i, 0]} of row {i} is not a class index below {k}.", nameof(labels));
            confusion[truth][TensorPrimitives.IndexOfMax<float>(probabilities.Row(i))]++;
            logLoss -= Math.Log(Math.Clamp(probabilities[i, truth], LogLossEpsilon, 1 - LogLossEpsilon));
        }
        var perClass = new ClassMetrics[k];
        for (int c = 0; c < k; c++)
        {
            int tp = confusion[c][c];
            int support = confusion[c].Sum();
            int predicted = confusion.Sum(row => row[c]);
            double precision = predicted == 0 ? 0 : (double)tp / predicted;
            double recall = support == 0 ? 0 : (double)tp / support;
            perClass[c] = new ClassMetrics(classes[c], precision, recall, F1(precision, recall), support);
        }
        var macro = new ClassMetrics("macro avg", perClass.Average(m => m.Precision), perClass.Average(m => m.Recall), perClass.Average(m => m.F1), n);
        var weighted = new ClassMetrics("weighted avg", Weighted(m => m.Precision), Weighted(m => m.Recall), Weighted(m => m.F1), n);
        double accuracy = (double)Enumerable.Range(0, k).Sum(c => confusion[c][c]) / n;
        return new ClassificationReport(classes, confusion, perClass, macro, weighted, accuracy, logLoss / n);

        double Weighted(Func<ClassMetrics, double> metric) => perClass.Sum(m => metric(m) * m.Support) / n;
    }

    private static double F1(double precision, double recall) =>
        precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
}
