namespace Engine.Data;

/// <summary>
/// Which columns of a CSV file the loader reads and what each one becomes, resolved from the header and the
/// options: the features in the order the model sees them, the target, and per column a slot the converter
/// fills (<see cref="Slots"/>). Every column a feature is numeric today; a per-column kind (numeric, categorical
/// text, dropped) belongs here, decided before the rows are read, and the converter dispatches on the slot.
/// </summary>
internal sealed class CsvColumns
{
    /// <summary>The slot of a column nothing reads.</summary>
    public const int Skipped = -1;

    /// <summary>The slot of the target column.</summary>
    public const int Target = -2;

    private CsvColumns(string[] header, int[] featureColumns, int targetColumn)
    {
        Header = header;
        FeatureColumns = featureColumns;
        TargetColumn = targetColumn;
        Slots = new int[header.Length];
        Array.Fill(Slots, Skipped);
        for (int j = 0; j < featureColumns.Length; j++)
            Slots[featureColumns[j]] = j;
        if (targetColumn >= 0)
            Slots[targetColumn] = Target;
    }

    /// <summary>The header's column names, in file order.</summary>
    public string[] Header { get; }

    /// <summary>The file column of each feature, in the model's order.</summary>
    public int[] FeatureColumns { get; }

    /// <summary>The target's file column, or −1 when no target is read.</summary>
    public int TargetColumn { get; }

    /// <summary>Per file column: the feature index it fills, <see cref="Target"/>, or <see cref="Skipped"/>.</summary>
    public int[] Slots { get; }

    /// <summary>The number of features.</summary>
    public int Width => FeatureColumns.Length;

    /// <summary>The feature columns' names, in the model's order.</summary>
    public string[] FeatureNames => [.. FeatureColumns.Select(j => Header[j])];

    /// <summary>The target column's name (there must be one).</summary>
    public string TargetName => Header[TargetColumn];

    /// <summary>Checks the header's names and finds the target (when <paramref name="requireTarget"/>) and the features.</summary>
    public static CsvColumns Resolve(string path, string[] header, CsvLoadOptions options, bool requireTarget)
    {
        CheckHeader(path, header);
        int targetColumn = requireTarget ? FindTarget(path, header, options) : -1;
        return new CsvColumns(header, FindFeatures(path, header, options, targetColumn), targetColumn);
    }

    private static void CheckHeader(string path, string[] header)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (int j = 0; j < header.Length; j++)
        {
            if (header[j].Length == 0)
                throw new DataFormatException(path, 1, null, $"header column {j + 1} has no name.");
            if (!seen.Add(header[j]))
                throw new DataFormatException(path, 1, header[j], "the column name appears twice in the header.");
        }
        if (header.Length < 2)
            throw new DataFormatException(path, 1, null, $"the header has {header.Length} column; at least a feature and a target are needed.");
    }

    private static int FindTarget(string path, string[] header, CsvLoadOptions options)
    {
        if (options.Target is string name)
        {
            int j = Array.IndexOf(header, name);
            return j >= 0 ? j : throw new DataFormatException(path, 1, name, $"there is no such column; the columns are {List(header)}.");
        }
        if (options.TargetIndex is int index)
        {
            return index >= 0 && index < header.Length ? index
                : throw new DataFormatException(path, 1, null, $"target index {index} is outside the {header.Length} columns.");
        }
        return header.Length - 1;
    }

    private static int[] FindFeatures(string path, string[] header, CsvLoadOptions options, int targetColumn)
    {
        if (options.Features is null)
            return [.. Enumerable.Range(0, header.Length).Where(j => j != targetColumn)];
        var columns = new List<int>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (string name in options.Features)
        {
            if (!seen.Add(name))
                throw new DataFormatException(path, 1, name, "the feature column is listed twice.");
            int j = Array.IndexOf(header, name);
            if (j < 0)
                throw new DataFormatException(path, 1, name, $"there is no such column; the columns are {List(header)}.");
            if (j == targetColumn)
                throw new DataFormatException(path, 1, name, "the target column cannot also be a feature.");
            columns.Add(j);
        }
        if (columns.Count == 0)
            throw new DataFormatException(path, 1, null, "no feature columns were selected.");
        return [.. columns];
    }

    private static string List(string[] header) =>
        header.Length <= 12 ? string.Join(", ", header) : $"{string.Join(", ", header.Take(12))}, … ({header.Length} in all)";
}
