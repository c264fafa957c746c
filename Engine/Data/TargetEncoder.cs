namespace Engine.Data;

/// <summary>
/// Decides what a target column asks for and encodes it: class indices for classification (labels sorted, or
/// the given ones), values for regression. Without a given task: classification when any value is not a number,
/// or when all are whole numbers with at most <see cref="MaxAutoClasses"/> distinct values; else regression.
/// </summary>
internal static class TargetEncoder
{
    /// <summary>Integer targets with at most this many distinct values are taken as classes when the task is not given.</summary>
    public const int MaxAutoClasses = 20;

    /// <summary>The task, the n × 1 targets and the class labels (null for regression) of the table's target text.</summary>
    public static (TaskKind Task, Matrix<float> Targets, string[]? Classes) Encode(CsvTable table, CsvLoadOptions options)
    {
        string path = table.Path, column = table.Columns.TargetName;
        var text = table.TargetText;
        var task = options.Task ?? DetectTask(text);
        var y = new Matrix<float>(text.Count, 1);
        if (task == TaskKind.Regression)
        {
            for (int i = 0; i < text.Count; i++)
                y[i, 0] = CsvNumbers.Parse(path, table.Lines[i], column, text[i]);
            return (task, y, null);
        }
        string[] classes = options.ClassNames is { } given ? [.. given] : SortedLabels(text);
        if (options.ClassNames is null && classes.Length < 2)
            throw new DataFormatException(path, null, column, $"every row has the class '{classes[0]}'; classification needs at least two classes.");
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int c = 0; c < classes.Length; c++)
            index[classes[c]] = c;
        for (int i = 0; i < text.Count; i++)
        {
            if (!index.TryGetValue(Canonical(text[i]), out int c))
                throw new DataFormatException(path, table.Lines[i], column, $"the class '{text[i]}' is not one of the model's classes ({string.Join(", ", classes)}).");
            y[i, 0] = c;
        }
        return (task, y, classes);
    }

    // Numeric labels are compared as numbers, so "1" and "1.0" are one class.
    private static string Canonical(string label) =>
        double.TryParse(label, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) && double.IsFinite(v)
            ? v.ToString("R", CultureInfo.InvariantCulture)
            : label;

    private static TaskKind DetectTask(IReadOnlyList<string> targets)
    {
        var distinct = new HashSet<double>();
        foreach (string t in targets)
        {
            if (!double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) || !double.IsFinite(v))
                return TaskKind.Classification; // text labels
            if (v != Math.Floor(v))
                return TaskKind.Regression;
            distinct.Add(v);
        }
        return distinct.Count <= MaxAutoClasses ? TaskKind.Classification : TaskKind.Regression;
    }

    private static string[] SortedLabels(IReadOnlyList<string> targets)
    {
        var labels = targets.Select(Canonical).Distinct(StringComparer.Ordinal).ToList();
        bool numeric = labels.All(l => double.TryParse(l, NumberStyles.Float, CultureInfo.InvariantCulture, out _));
        return numeric
            ? [.. labels.OrderBy(l => double.Parse(l, CultureInfo.InvariantCulture))]
            : [.. labels.OrderBy(l => l, StringComparer.Ordinal)];
    }
}
