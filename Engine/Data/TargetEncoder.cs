namespace Engine.Data;

/// <summary>
/// Decides what a target column asks for and encodes it: class indices for classification (labels sorted, or
/// the given ones), values for regression. Without a given task: classification when any value is not a number,
/// or when all are whole numbers with at most <see cref="MaxAutoClasses"/> distinct values; else regression. A table
/// (<see cref="DataTable"/>) also takes quoted codes as classes, and refuses a stray text value in a target that is
/// otherwise numbers with many distinct values. Labels that are the same number are one class, named by the number's
/// shortest spelling ("1.0" and "1" are the class "1"; "-0" and "0" the class "0").
/// </summary>
internal static class TargetEncoder
{
    /// <summary>Integer targets with at most this many distinct values are taken as classes when the task is not given.</summary>
    public const int MaxAutoClasses = 20;

    /// <summary>A target whose values are at least this fraction numbers, with a text value among them, is refused as a typo.</summary>
    private const double MostlyNumbers = 0.9;

    /// <summary>The target's task, its n × 1 encoding, the class labels (null for regression) and why that task.</summary>
    /// <param name="path">The file, for messages.</param>
    /// <param name="column">The target column's name.</param>
    /// <param name="text">The target's text per row, none missing (null).</param>
    /// <param name="lines">Each row's line.</param>
    /// <param name="options">The given task and class names, if any.</param>
    /// <param name="table">Table rules: quoted codes are classes, a stray text value among many numbers is an error.</param>
    /// <param name="quoted">Whether any target value was written in quotes.</param>
    public static (TaskKind Task, Matrix<float> Targets, string[]? Classes, string Reason) Encode(
        string path, string column, IReadOnlyList<string?> text, IReadOnlyList<long> lines, TableOptions options, bool table, bool quoted)
    {
        var (task, reason) = options.Task is TaskKind given ? (given, "given") : Detect(path, column, text, lines, table, quoted);
        var y = new Matrix<float>(text.Count, 1);
        if (task == TaskKind.Regression)
        {
            for (int i = 0; i < text.Count; i++)
                y[i, 0] = CsvNumbers.Parse(path, lines[i], column, text[i]!);
            return (task, y, null, reason);
        }
        string[] classes = options.ClassNames is { } names ? [.. names] : SortedLabels(text);
        if (options.ClassNames is null && classes.Length < 2)
            throw new DataFormatException(path, null, column, $"every row has the class '{classes[0]}'; classification needs at least two classes.");
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int c = 0; c < classes.Length; c++)
            index[classes[c]] = c;
        for (int i = 0; i < text.Count; i++)
        {
            if (!index.TryGetValue(Canonical(text[i]!), out int c))
                throw new DataFormatException(path, lines[i], column, $"the class '{text[i]}' is not one of the model's classes ({string.Join(", ", classes)}).");
            y[i, 0] = c;
        }
        return (task, y, classes, reason);
    }

    /// <summary>A label as its class is named: a number in its shortest spelling (−0 as 0), any other text as it is.</summary>
    public static string Canonical(string label) =>
        TryNumber(label, out double v) ? (v == 0 ? 0.0 : v).ToString("R", CultureInfo.InvariantCulture) : label;

    private static bool TryNumber(string text, out double value) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value);

    private static (TaskKind, string) Detect(string path, string column, IReadOnlyList<string?> targets, IReadOnlyList<long> lines, bool table, bool quoted)
    {
        var distinct = new HashSet<double>();
        bool whole = true;
        int firstText = -1;
        for (int i = 0; i < targets.Count; i++)
        {
            if (!TryNumber(targets[i]!, out double v))
            {
                if (!table)
                    return (TaskKind.Classification, "text labels");
                if (firstText < 0)
                    firstText = i;
                continue;
            }
            whole &= v == Math.Floor(v);
            distinct.Add(v == 0 ? 0 : v);
        }
        int numbers = targets.Count - (firstText < 0 ? 0 : targets.Skip(firstText).Count(t => !TryNumber(t!, out _)));
        if (firstText >= 0)
        {
            if (numbers >= MostlyNumbers * targets.Count && distinct.Count > MaxAutoClasses)
            {
                throw new DataFormatException(path, lines[firstText], column,
                    $"'{DataFormatException.Excerpt(targets[firstText]!)}' in a numeric target ({numbers} of {targets.Count} values are numbers); " +
                    "give the task as classification to treat the values as labels, or list the value as a missing-value marker.");
            }
            return (TaskKind.Classification, "text labels");
        }
        if (table && quoted && distinct.Count <= DataTable.MaxCodes)
            return (TaskKind.Classification, "quoted codes");
        return whole && distinct.Count <= MaxAutoClasses
            ? (TaskKind.Classification, $"{distinct.Count} distinct integers")
            : (TaskKind.Regression, $"numbers, {distinct.Count} distinct values");
    }

    private static string[] SortedLabels(IReadOnlyList<string?> targets)
    {
        var labels = targets.Select(t => Canonical(t!)).Distinct(StringComparer.Ordinal).ToList();
        bool numeric = labels.All(l => TryNumber(l, out _));
        return numeric
            ? [.. labels.OrderBy(l => double.Parse(l, CultureInfo.InvariantCulture))]
            : [.. labels.OrderBy(l => l, StringComparer.Ordinal)];
    }
}
