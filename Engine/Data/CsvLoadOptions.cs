namespace Engine.Data;

/// <summary>Which columns <see cref="CsvDataset.Load(string, CsvLoadOptions?)"/> reads and how it reads the target.</summary>
public sealed record CsvLoadOptions
{
    /// <summary>Target column name; null means <see cref="TargetIndex"/> or else the last column.</summary>
    public string? Target { get; init; }

    /// <summary>0-based target column, used when <see cref="Target"/> is null.</summary>
    public int? TargetIndex { get; init; }

    /// <summary>Feature columns by name, in the order the model sees them; null means every column but the target.</summary>
    public IReadOnlyList<string>? Features { get; init; }

    /// <summary>
    /// Classification or regression; null detects it: classification when any target value is not a
    /// number, or when all are whole numbers with at most <see cref="CsvDataset.MaxAutoClasses"/> distinct values.
    /// </summary>
    public TaskKind? Task { get; init; }

    /// <summary>The class labels by index (e.g. from a trained model); a label outside them is an error.</summary>
    public IReadOnlyList<string>? ClassNames { get; init; }

    /// <summary>The same choices as <see cref="TableOptions"/>; without <paramref name="requireTarget"/> no target is read.</summary>
    internal TableOptions ToTableOptions(bool requireTarget) => requireTarget
        ? new() { Target = Target, TargetIndex = TargetIndex, Features = Features, Task = Task, ClassNames = ClassNames }
        : new() { Features = Features, TargetOptional = true };
}
