namespace Engine.Data;

/// <summary>
/// Turns what the converter read (<see cref="CsvTable"/>) into a <see cref="DataTable"/>: drops the rows whose target is
/// missing, encodes the target, decides each feature column's kind and builds the numeric matrix and the level codes.
/// </summary>
internal static class ColumnInference
{
    /// <summary>Text with a distinct value on more than this fraction of its rows is identifier-like…</summary>
    private const double IdentifierFraction = 0.9;

    /// <summary>…when it has at least this many values.</summary>
    private const int IdentifierMinRows = 20;

    /// <summary>Text values where more than this fraction are numbers get the first text value in their reason.</summary>
    private const double MostlyNumbers = 0.9;

    public static DataTable Build(CsvTable table, TableOptions options)
    {
        string path = table.Path;
        var columns = table.Columns;
        int[]? kept = null; // the rows with a target; null: all
        var target = new TargetColumn(null, null, options.Task ?? TaskKind.Regression, options.ClassNames, "no target", 0);
        if (columns.TargetColumn >= 0)
        {
            var text = table.TargetText;
            if (text.Contains(null))
            {
                kept = [.. Enumerable.Range(0, text.Count).Where(i => text[i] is not null)];
                if (kept.Length == 0)
                    throw new DataFormatException(path, null, columns.TargetName, $"the target is missing on every row ({text.Count}); there is nothing to learn from.");
            }
            var lines = Keep(table.Lines, kept);
            var (task, y, classes, reason) = TargetEncoder.Encode(path, columns.TargetName, Keep(text, kept), lines, options, table: true, table.Target.Quoted);
            target = new TargetColumn(columns.TargetName, y, task, classes, reason, text.Count - lines.Count);
        }
        int rows = kept?.Length ?? table.Lines.Count;
        var keptLines = Keep(table.Lines, kept);

        int[] numericModes = [.. Enumerable.Range(0, columns.Width).Where(j => table.Reads[j].Mode != ColumnMode.Text)];
        var (missing, distinct) = NumericStats(table.Features, numericModes, kept);
        var schemas = new ColumnSchema[columns.Width];
        var sources = new List<Func<int, float>>(); // per numeric column: its value in kept row i
        var numericSource = new List<int>();         // per numeric column: its column in table.Features, or −1
        var codeColumns = new List<(int[] Codes, string[] Levels)>();
        var categorical = new HashSet<string>(options.Categorical ?? [], StringComparer.Ordinal);
        var forcedNumeric = new HashSet<string>(options.Numeric ?? [], StringComparer.Ordinal);
        for (int j = 0, k = 0; j < columns.Width; j++)
        {
            string name = columns.Header[columns.FeatureColumns[j]];
            var read = table.Reads[j];
            if (read.Mode != ColumnMode.Text)
            {
                int m = missing[k], d = distinct[k];
                k++;
                if (read.Deferred is { } error)
                    throw error;
                if (forcedNumeric.Contains(name))
                {
                    schemas[j] = new ColumnSchema(name, ColumnKind.Numeric, m, d, [], "forced by Numeric");
                }
                else if (d <= 1)
                {
                    schemas[j] = new ColumnSchema(name, ColumnKind.Dropped, m, d, [], d == 0 ? "every value missing" : "constant");
                    continue;
                }
                else
                {
                    schemas[j] = new ColumnSchema(name, ColumnKind.Numeric, m, d, [], "numbers");
                }
                numericSource.Add(j);
                continue;
            }
            var values = Keep(read.Text!.Values, kept);
            var (kind, reason, levels, codes, counts) = DecideText(values, keptLines, read.Text.Quoted, categorical.Contains(name));
            int missingText = values.Count(v => v is null);
            if (kind == ColumnKind.Numeric)
            {
                float[] parsed = [.. values.Select((v, i) => v is null ? float.NaN : CsvNumbers.Parse(path, keptLines[i], name, v))];
                schemas[j] = new ColumnSchema(name, kind, missingText, levels.Length, [], reason);
                sources.Add(i => parsed[i]);
                numericSource.Add(-1 - (sources.Count - 1));
                continue;
            }
            LevelCount[] top = kind == ColumnKind.Categorical
                ? [.. Enumerable.Range(0, levels.Length).OrderByDescending(c => counts[c]).ThenBy(c => c).Take(DataTable.TopLevelCount).Select(c => new LevelCount(levels[c], counts[c]))]
                : [];
            schemas[j] = new ColumnSchema(name, kind, missingText, levels.Length, top, reason);
            if (kind == ColumnKind.Categorical)
                codeColumns.Add((codes, levels));
        }
        var numeric = NumericMatrix(table.Features, numericSource, sources, kept, rows);
        int width = codeColumns.Count;
        int[] allCodes = new int[rows * width];
        for (int c = 0; c < width; c++)
        {
            int[] codes = codeColumns[c].Codes;
            for (int i = 0; i < rows; i++)
                allCodes[(i * width) + c] = codes[i];
        }
        IReadOnlyList<string>[] levelLists = [.. codeColumns.Select(c => (IReadOnlyList<string>)c.Levels)];
        return new DataTable(path, rows, schemas, columns.Ignored, numeric, allCodes, levelLists, target);
    }

    /// <summary>Per column of <paramref name="values"/> listed in <paramref name="columns"/>: missing (NaN) and distinct counts over <paramref name="rows"/> (null: all).</summary>
    public static (int[] Missing, int[] Distinct) NumericStats(Matrix<float> values, int[] columns, int[]? rows)
    {
        const int SmallBits = 1024; // whole numbers 0..1023 (pixels, counts, codes) are counted in a bitmap, the rest in a set
        int m = columns.Length, n = rows?.Length ?? values.Rows;
        int[] missing = new int[m];
        ulong[] small = new ulong[m * (SmallBits / 64)];
        var other = new HashSet<float>?[m];
        for (int i = 0; i < n; i++)
        {
            var row = values.Row(rows is null ? i : rows[i]);
            for (int k = 0; k < m; k++)
            {
                float v = row[columns[k]];
                if (float.IsNaN(v))
                    missing[k]++;
                else if (v >= 0 && v < SmallBits && v == (int)v)
                    small[(k * (SmallBits / 64)) + ((int)v >> 6)] |= 1UL << ((int)v & 63);
                else
                    (other[k] ??= []).Add(v + 0f); // −0 + 0 = +0: one value
            }
        }
        int[] distinct = new int[m];
        for (int k = 0; k < m; k++)
        {
            int d = other[k]?.Count ?? 0;
            foreach (ulong bits in small.AsSpan(k * (SmallBits / 64), SmallBits / 64))
                d += BitOperations.PopCount(bits);
            distinct[k] = d;
        }
        return (missing, distinct);
    }

    /// <summary>Decides a text column's kind; its levels (sorted), each row's code (−1 = missing) and each level's count.</summary>
    private static (ColumnKind, string, string[] Levels, int[] Codes, int[] Counts) DecideText(IReadOnlyList<string?> values, IReadOnlyList<long> lines, bool quoted, bool forced)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        int present = 0, firstText = -1, numbers = 0;
        for (int i = 0; i < values.Count; i++)
        {
            if (values[i] is not string v)
                continue;
            present++;
            counts[v] = counts.GetValueOrDefault(v) + 1;
            if (IsNumber(v))
                numbers++;
            else if (firstText < 0)
                firstText = i;
        }
        string[] levels = [.. counts.Keys];
        bool allNumbers = numbers == present;
        if (allNumbers)
            Array.Sort(levels, (a, b) => Number(a) != Number(b) ? Number(a).CompareTo(Number(b)) : string.CompareOrdinal(a, b));
        else
            Array.Sort(levels, StringComparer.Ordinal);
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int c = 0; c < levels.Length; c++)
            index[levels[c]] = c;
        int[] codes = [.. values.Select(v => v is null ? -1 : index[v])];
        int[] levelCounts = [.. levels.Select(l => counts[l])];
        int d = levels.Length;
        (ColumnKind, string) decision =
            forced ? (ColumnKind.Categorical, "forced by Categorical")
            : allNumbers && quoted && d > DataTable.MaxCodes ? (ColumnKind.Numeric, $"quoted numbers, {d} distinct (more than {DataTable.MaxCodes}: not codes)")
            : d == 0 ? (ColumnKind.Dropped, "every value missing")
            : d == 1 ? (ColumnKind.Dropped, "constant")
            : allNumbers ? (ColumnKind.Categorical, "quoted codes")
            : present >= IdentifierMinRows && d > IdentifierFraction * present ? (ColumnKind.Dropped, $"identifier-like: {d} distinct of {present} rows")
            : numbers > MostlyNumbers * present
                ? (ColumnKind.Categorical, $"text: '{DataFormatException.Excerpt(values[firstText])}' on line {lines[firstText]} among {numbers} numbers (give it as Numeric, or as a missing-value marker, to read the column as numbers)")
            : (ColumnKind.Categorical, "text");
        return (decision.Item1, decision.Item2, levels, codes, levelCounts);
    }

    private static bool IsNumber(string text) => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) && double.IsFinite(v);

    private static double Number(string text) => double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);

    /// <summary>The kept rows × numeric columns: each from <paramref name="raw"/>'s column j ≥ 0, or from source −1 − j.</summary>
    private static Matrix<float> NumericMatrix(Matrix<float> raw, List<int> columns, List<Func<int, float>> sources, int[]? kept, int rows)
    {
        if (kept is null && columns.Count == raw.Cols && columns.Select((c, k) => c == k).All(b => b))
            return raw; // every column numeric, every row kept: no copy (an all-numeric file such as Fashion-MNIST)
        var numeric = new Matrix<float>(rows, columns.Count);
        for (int i = 0; i < rows; i++)
        {
            var from = raw.Row(kept is null ? i : kept[i]);
            var to = numeric.Row(i);
            for (int k = 0; k < to.Length; k++)
                to[k] = columns[k] >= 0 ? from[columns[k]] : sources[-1 - columns[k]](i);
        }
        return numeric;
    }

    private static List<T> Keep<T>(List<T> values, int[]? kept) => kept is null ? values : [.. kept.Select(i => values[i])];
}
