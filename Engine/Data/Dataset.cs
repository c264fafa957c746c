namespace Engine.Data;

/// <summary>
/// Rows of float32 features with one target each: a class index (as a float) for classification, a
/// value for regression; plus the column names and the class labels.
/// </summary>
public sealed class Dataset
{
    /// <summary>Creates a dataset; the matrices are used as given, not copied.</summary>
    public Dataset(Matrix<float> features, Matrix<float> targets, IReadOnlyList<string> featureNames, string targetName,
        TaskKind task, IReadOnlyList<string>? classNames, string source)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(targets);
        ArgumentNullException.ThrowIfNull(featureNames);
        if (targets.Rows != features.Rows || targets.Cols != 1)
            throw new ArgumentException($"targets must be {features.Rows}×1 to match the features, got {targets.ShapeString}.", nameof(targets));
        if (featureNames.Count != features.Cols)
            throw new ArgumentException($"{featureNames.Count} feature names for {features.Cols} feature columns.", nameof(featureNames));
        if (task == TaskKind.Classification && (classNames is null || classNames.Count < 1))
            throw new ArgumentException("A classification dataset needs its class names.", nameof(classNames));
        Features = features;
        Targets = targets;
        FeatureNames = featureNames;
        TargetName = targetName;
        Task = task;
        ClassNames = classNames;
        Source = source;
    }

    /// <summary>n × d features.</summary>
    public Matrix<float> Features { get; }

    /// <summary>n × 1 targets: class index or value.</summary>
    public Matrix<float> Targets { get; }

    /// <summary>Feature column names, in order.</summary>
    public IReadOnlyList<string> FeatureNames { get; }

    /// <summary>Target column name.</summary>
    public string TargetName { get; }

    /// <summary>Classification or regression.</summary>
    public TaskKind Task { get; }

    /// <summary>Class labels by index (classification), else null.</summary>
    public IReadOnlyList<string>? ClassNames { get; }

    /// <summary>Number of classes (0 for regression).</summary>
    public int ClassCount => ClassNames?.Count ?? 0;

    /// <summary>Where the rows came from (a file path), for messages.</summary>
    public string Source { get; }

    /// <summary>Number of rows.</summary>
    public int Count => Features.Rows;

    /// <summary>A copy holding the given rows, in the given order.</summary>
    public Dataset Subset(ReadOnlySpan<int> rows)
    {
        var x = new Matrix<float>(rows.Length, Features.Cols);
        var y = new Matrix<float>(rows.Length, 1);
        for (int i = 0; i < rows.Length; i++)
        {
            Features.Row(rows[i]).CopyTo(x.Row(i));
            y[i, 0] = Targets[rows[i], 0];
        }
        return With(x, y);
    }

    /// <summary>The same columns and labels over other feature and target matrices (e.g. scaled copies).</summary>
    public Dataset With(Matrix<float> features, Matrix<float> targets) =>
        new(features, targets, FeatureNames, TargetName, Task, ClassNames, Source);

    /// <inheritdoc/>
    public override string ToString() => $"Dataset({Source}: {Count} rows × {Features.Cols} features, {Task})";
}
