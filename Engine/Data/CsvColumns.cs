namespace Engine.Data;

/// <summary>
/// Which columns of a CSV file the loader reads and what each one becomes, resolved from the header and the
/// options: the features in the order the model sees them, the target, and per column a slot the converter
/// fills (<see cref="Slots"/>), and per feature how the converter reads it (<see cref="Modes"/>): strictly as numbers
/// (<see cref="CsvDataset"/>), as numbers with missing values, inferred, or as text from the first row.
/// </summary>
internal sealed class CsvColumns
{
    /// <summary>The slot of a column nothing reads.</summary>
    public const int Skipped = -1;

    /// <summary>The slot of the target column.</summary>
    public const int Target = -2;

    private CsvColumns(string[] header, int[] featureColumns, int targetColumn, ColumnMode[] modes)
    {
        Header = header;
        FeatureColumns = featureColumns;
        TargetColumn = targetColumn;
        Modes = modes;
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

    /// <summary>Per feature: how the converter reads it.</summary>
    public ColumnMode[] Modes { get; }

    /// <summary>The header's columns that are neither a feature nor the target, in file order.</summary>
    public string[] Ignored => [.. Enumerable.Range(0, Header.Length).Where(j => Slots[j] == Skipped).Select(j => Header[j])];

    /// <summary>The number of features.</summary>
    public int Width => FeatureColumns.Length;

    /// <summary>The feature columns' names, in the model's order.</summary>
    public string[] FeatureNames => [.. FeatureColumns.Select(j => Header[j])];

    /// <summary>The target column's name (there must be one).</summary>
    public string TargetName => Header[TargetColumn];

    /// <summary>
    /// Checks the header's names and finds the target and the features. <paramref name="strict"/>: every feature is read
    /// as numbers with no missing values (<see cref="CsvDataset"/>); else the overrides of <paramref name="options"/> are
    /// applied and the columns in <paramref name="textColumns"/> are read as text from the first row.
    /// </summary>
    public static CsvColumns Resolve(string path, string[] header, TableOptions options, bool strict, IReadOnlySet<string>? textColumns = null)
    {
        CheckHeader(path, header, strict ? 2 : 1);
        int targetColumn = FindTarget(path, header, options);
        int[] selected = FindFeatures(path, header, options, targetColumn); // a missing feature is named before any override
        var drop = Names(path, header, options.Drop, nameof(TableOptions.Drop), targetColumn);
        var categorical = Names(path, header, options.Categorical, nameof(TableOptions.Categorical), targetColumn);
        var numeric = Names(path, header, options.Numeric, nameof(TableOptions.Numeric), targetColumn);
        CheckDisjoint(path, categorical, nameof(TableOptions.Categorical), numeric, nameof(TableOptions.Numeric));
        CheckDisjoint(path, categorical, nameof(TableOptions.Categorical), drop, nameof(TableOptions.Drop));
        CheckDisjoint(path, numeric, nameof(TableOptions.Numeric), drop, nameof(TableOptions.Drop));
        int[] features = [.. selected.Where(j => !drop.Contains(header[j]))];
        if (features.Length == 0)
            throw new DataFormatException(path, 1, null, "no feature columns are left (every one is dropped).");
        ColumnMode[] modes = [.. features.Select(j =>
            strict ? ColumnMode.Strict
            : categorical.Contains(header[j]) || (textColumns?.Contains(header[j]) ?? false) ? ColumnMode.Text
            : numeric.Contains(header[j]) ? ColumnMode.Number
            : ColumnMode.Infer)];
        return new CsvColumns(header, features, targetColumn, modes);
    }

    private static HashSet<string> Names(string path, string[] header, IReadOnlyList<string>? names, string option, int targetColumn)
    {
        var set = new HashSet<string>(StringComparer.Ordinal);
        foreach (string name in names ?? [])
        {
            int j = Array.IndexOf(header, name);
            if (j < 0)
                throw new DataFormatException(path, 1, name, $"{option} names a column that does not exist; the columns are {List(header)}.");
            if (j == targetColumn)
                throw new DataFormatException(path, 1, name, $"{option} names the target column.");
            set.Add(name);
        }
        return set;
    }

    private static void CheckDisjoint(string path, HashSet<string> a, string aName, HashSet<string> b, string bName)
    {
        if (a.FirstOrDefault(b.Contains) is string both)
            throw new DataFormatException(path, 1, both, $"the column is in both {aName} and {bName}.");
    }

    private static void CheckHeader(string path, string[] header, int minColumns)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (int j = 0; j < header.Length; j++)
        {
            if (header[j].Length == 0)
                throw new DataFormatException(path, 1, null, $"header column {j + 1} has no name.");
            if (!seen.Add(header[j]))
                throw new DataFormatException(path, 1, header[j], "the column name appears twice in the header.");
        }
        if (header.Length < minColumns)
            throw new DataFormatException(path, 1, null, $"the header has {header.Length} column; at least a feature and a target are needed.");
    }

    private static int FindTarget(string path, string[] header, TableOptions options)
    {
        if (options.Target is string name)
        {
            int j = Array.IndexOf(header, name);
            return j >= 0 || options.TargetOptional ? j : throw new DataFormatException(path, 1, name, $"there is no such column; the columns are {List(header)}.");
        }
        if (options.TargetIndex is int index)
        {
            return index >= 0 && index < header.Length ? index
                : throw new DataFormatException(path, 1, null, $"target index {index} is outside the {header.Length} columns.");
        }
        return options.TargetOptional ? -1 : header.Length - 1;
    }

    private static int[] FindFeatures(string path, string[] header, TableOptions options, int targetColumn)
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

/// <summary>How the converter reads a feature column.</summary>
internal enum ColumnMode : byte
{
    /// <summary>Numbers only: anything else, a missing-value marker included, is an error (<see cref="CsvDataset"/>).</summary>
    Strict,
    /// <summary>Numbers or missing-value markers (forced by <see cref="TableOptions.Numeric"/>); anything else is an error.</summary>
    Number,
    /// <summary>Numbers until a field says otherwise (text, or a quoted field): then text.</summary>
    Infer,
    /// <summary>Text, one string per row.</summary>
    Text,
}
