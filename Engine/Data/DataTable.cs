namespace Engine.Data;

/// <summary>
/// A table read from a CSV file with text columns and missing values: per feature column a kind, inferred from what it
/// holds (numeric, categorical, dropped; <see cref="Columns"/> says which and why), the numeric columns as floats
/// (NaN = missing), the categorical ones as level codes (−1 = missing), and the target encoded as
/// <see cref="CsvDataset"/> does (rows whose target is missing are dropped and counted).
/// </summary>
public sealed class DataTable
{
    /// <summary>Quoted numbers with at most this many distinct values are codes (categorical); more are measurements (numeric).</summary>
    public const int MaxCodes = 50;

    /// <summary>How many of a categorical column's most frequent levels <see cref="ColumnSchema.TopLevels"/> lists.</summary>
    public const int TopLevelCount = 5;

    internal DataTable(string source, int count, IReadOnlyList<ColumnSchema> columns, IReadOnlyList<string> ignoredColumns,
        Matrix<float> numeric, int[] codes, IReadOnlyList<IReadOnlyList<string>> levels, TargetColumn target)
    {
        Source = source;
        Count = count;
        Columns = columns;
        IgnoredColumns = ignoredColumns;
        Numeric = numeric;
        Codes = codes;
        Levels = levels;
        NumericColumns = [.. columns.Where(c => c.Kind == ColumnKind.Numeric)];
        CategoricalColumns = [.. columns.Where(c => c.Kind == ColumnKind.Categorical)];
        Target = target;
    }

    /// <summary>Where the rows came from (a file path), for messages.</summary>
    public string Source { get; }

    /// <summary>Number of rows (rows whose target was missing are not counted).</summary>
    public int Count { get; }

    /// <summary>
    /// Every feature column read, dropped ones included: in file order, or in <see cref="TableOptions.Features"/>' order
    /// when given. The counts describe the rows of the table the file was read into (a <see cref="Subset"/> keeps them).
    /// </summary>
    public IReadOnlyList<ColumnSchema> Columns { get; }

    /// <summary>The <see cref="Columns"/> that are numeric, in the order of <see cref="Numeric"/>'s columns.</summary>
    public IReadOnlyList<ColumnSchema> NumericColumns { get; }

    /// <summary>The <see cref="Columns"/> that are categorical, in the order of <see cref="Codes"/>' columns and <see cref="Levels"/>.</summary>
    public IReadOnlyList<ColumnSchema> CategoricalColumns { get; }

    /// <summary>Columns of the file that were not read: not among <see cref="TableOptions.Features"/>, or in <see cref="TableOptions.Drop"/>.</summary>
    public IReadOnlyList<string> IgnoredColumns { get; }

    /// <summary><see cref="Count"/> × numeric columns, in <see cref="NumericColumns"/>' order; NaN = missing.</summary>
    public Matrix<float> Numeric { get; }

    /// <summary><see cref="Count"/> × <see cref="CategoricalCount"/> level codes, row-major: an index into <see cref="Levels"/>, −1 = missing.</summary>
    public int[] Codes { get; }

    /// <summary>The number of categorical columns.</summary>
    public int CategoricalCount => CategoricalColumns.Count;

    /// <summary>Per categorical column, its levels by code: numbers in numeric order, else ordinal text order.</summary>
    public IReadOnlyList<IReadOnlyList<string>> Levels { get; }

    /// <summary><see cref="Count"/> × 1 class index or value; null when <see cref="TableOptions.TargetOptional"/> and the file has no target.</summary>
    public Matrix<float>? Targets => Target.Values;

    /// <summary>The target column's name; null when no target was read.</summary>
    public string? TargetName => Target.Name;

    /// <summary>Classification or regression (with no target read: the given task, else regression).</summary>
    public TaskKind Task => Target.Task;

    /// <summary>Class labels by index (classification), else null.</summary>
    public IReadOnlyList<string>? ClassNames => Target.ClassNames;

    /// <summary>Why <see cref="Task"/>: "given", "text labels", "quoted codes", "3 distinct integers", "numbers, 36 distinct values", "no target".</summary>
    public string TaskReason => Target.Reason;

    /// <summary>How many rows of the file were dropped because their target was missing.</summary>
    public int DroppedTargetRows => Target.DroppedRows;

    internal TargetColumn Target { get; }

    /// <summary>
    /// Reads a CSV file (header row, comma-separated, invariant culture; .gz read transparently), inferring each feature
    /// column's kind as <see cref="ColumnSchema.Reason"/> reports: categorical when a value is text or the values are
    /// quoted codes (at most <see cref="MaxCodes"/> distinct), dropped when constant or identifier-like text, else numeric.
    /// Missing-value markers (<see cref="TableOptions.NaValues"/>) are missing values, not errors. Malformed input is a
    /// <see cref="DataFormatException"/> naming the file, line and column.
    /// </summary>
    public static DataTable ReadCsv(string path, TableOptions? options = null) => ReadCsv(path, options, pipelined: null);

    /// <summary>Reads a table, choosing whether decoding runs on its own thread (null: by size).</summary>
    internal static DataTable ReadCsv(string path, TableOptions? options, bool? pipelined)
    {
        options ??= new TableOptions();
        var markers = new MissingMarkers(options.NaValues);
        var table = CsvTable.Read(path, options, markers, textColumns: null, pipelined);
        var reread = table.Columns.FeatureColumns.Where((_, j) => table.Reads[j].Reread).Select(c => table.Columns.Header[c]).ToHashSet(StringComparer.Ordinal);
        if (reread.Count > 0)
            table = CsvTable.Read(path, options, markers, reread, pipelined); // those columns' text from the first row on
        return ColumnInference.Build(table, options);
    }

    /// <summary>An all-numeric table holding a dataset's features (shared, not copied) and targets; every column is numeric.</summary>
    public static DataTable FromDataset(Dataset data)
    {
        ArgumentNullException.ThrowIfNull(data);
        var (missing, distinct) = ColumnInference.NumericStats(data.Features, [.. Enumerable.Range(0, data.Features.Cols)], rows: null);
        ColumnSchema[] columns = [.. data.FeatureNames.Select((name, j) => new ColumnSchema(name, ColumnKind.Numeric, missing[j], distinct[j], [], "numbers"))];
        var target = new TargetColumn(data.TargetName, data.Targets, data.Task, data.ClassNames, "from a dataset", 0);
        return new DataTable(data.Source, data.Count, columns, [], data.Features, [], [], target);
    }

    /// <summary>A copy holding the given rows, in the given order (for splits); the columns, levels and classes are kept whole.</summary>
    public DataTable Subset(ReadOnlySpan<int> rows)
    {
        var numeric = new Matrix<float>(rows.Length, Numeric.Cols);
        int width = CategoricalCount;
        int[] codes = new int[rows.Length * width];
        Matrix<float>? targets = Targets is null ? null : new Matrix<float>(rows.Length, 1);
        for (int i = 0; i < rows.Length; i++)
        {
            int r = rows[i];
            if ((uint)r >= (uint)Count)
                throw new ArgumentOutOfRangeException(nameof(rows), $"row {r} is outside the table's {Count} rows.");
            Numeric.Row(r).CopyTo(numeric.Row(i));
            Codes.AsSpan(r * width, width).CopyTo(codes.AsSpan(i * width, width));
            if (targets is not null)
                targets[i, 0] = Targets![r, 0];
        }
        return new DataTable(Source, rows.Length, Columns, IgnoredColumns, numeric, codes, Levels, Target with { Values = targets });
    }

    /// <inheritdoc/>
    public override string ToString() =>
        $"DataTable({Source}: {Count} rows × {NumericColumns.Count} numeric, {CategoricalCount} categorical, " +
        $"{Columns.Count - NumericColumns.Count - CategoricalCount} dropped; {Task})";
}

/// <summary>The target part of a <see cref="DataTable"/>.</summary>
internal sealed record TargetColumn(string? Name, Matrix<float>? Values, TaskKind Task, IReadOnlyList<string>? ClassNames, string Reason, int DroppedRows);
