using Engine.Data;
using Engine.Serialization;

namespace Engine.Tabular;

/// <summary>Rows of named values (column name → number, text or null) as a <see cref="DataTable"/> a model can read.</summary>
internal static class RowTable
{
    /// <summary>
    /// The table of <paramref name="rows"/> for a model encoded as <paramref name="encoding"/>: numeric columns take
    /// numbers (or text that parses as one), categorical columns take text (or numbers, as written by invariant
    /// formatting); null, NaN and the default missing-value markers are missing values, and a feature with no entry in a row is an error.
    /// </summary>
    public static DataTable From(IReadOnlyList<IReadOnlyDictionary<string, object?>> rows, TableEncoding encoding, string source)
    {
        var numeric = encoding.Numeric.ToArray();
        var categorical = encoding.Categorical.ToArray();
        var x = new Matrix<float>(rows.Count, numeric.Length);
        int[] codes = new int[rows.Count * categorical.Length];
        var levels = categorical.Select(_ => new List<string>()).ToArray();
        var levelIndex = categorical.Select(_ => new Dictionary<string, int>(StringComparer.Ordinal)).ToArray();
        for (int i = 0; i < rows.Count; i++)
        {
            var row = rows[i] ?? throw new ArgumentException($"Row {i} is null.", nameof(rows));
            for (int j = 0; j < numeric.Length; j++)
                x[i, j] = NumberOf(Value(row, numeric[j].Name, i, source), numeric[j].Name, i, source);
            for (int j = 0; j < categorical.Length; j++)
            {
                string? text = TextOf(Value(row, categorical[j].Name, i, source));
                int code = -1;
                if (text is not null && !levelIndex[j].TryGetValue(text, out code))
                {
                    code = levels[j].Count;
                    levelIndex[j][text] = code;
                    levels[j].Add(text);
                }
                codes[i * categorical.Length + j] = code;
            }
        }
        ColumnSchema[] columns =
        [
            .. numeric.Select(c => new ColumnSchema(c.Name, ColumnKind.Numeric, 0, 0, [], "given")),
            .. categorical.Select(c => new ColumnSchema(c.Name, ColumnKind.Categorical, 0, 0, [], "given")),
        ];
        var target = new TargetColumn(null, null, TaskKind.Regression, null, "no target", 0);
        return new DataTable(source, rows.Count, columns, [], x, codes, [.. levels.Select(l => (IReadOnlyList<string>)l)], target);
    }

    private static object? Value(IReadOnlyDictionary<string, object?> row, string name, int i, string source) =>
        row.TryGetValue(name, out var value) ? value
            : throw new IncompatibleDataException($"{source}: row {i} has no value for column '{name}' (give null for a missing value).");

    private static float NumberOf(object? value, string name, int i, string source) => value switch
    {
        null => float.NaN,
        float f => f,
        double d => (float)d,
        IConvertible c when c is not string and not char and not bool => (float)c.ToDouble(CultureInfo.InvariantCulture),
        string s when TableOptions.DefaultNaValues.Contains(s) => float.NaN,
        string s when float.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out float f) && float.IsFinite(f) => f,
        _ => throw new IncompatibleDataException($"{source}: row {i}, column '{name}': '{value}' is not a number, and the model reads this column as numbers."),
    };

    private static string? TextOf(object? value) => value switch
    {
        null => null,
        string s when TableOptions.DefaultNaValues.Contains(s) => null,
        string s => s,
        double d when double.IsNaN(d) => null,
        float f when float.IsNaN(f) => null,
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };
}
