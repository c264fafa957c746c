using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Engine.Tests.Serialization;

/// <summary>Runs an exported ONNX file in ONNX Runtime on rows of named values, and builds such rows from tables.</summary>
internal static class OnnxScoring
{
    /// <summary>What the file returns: probabilities (n × classes) and labels, or values (n × 1).</summary>
    public sealed record Scores(float[,] Values, string[]? Labels);

    /// <summary>
    /// Scores <paramref name="rows"/> (column → float, string or null) with the ONNX file: a numeric column gets a
    /// float [n, 1] tensor (null → NaN), a text column a string [n, 1] tensor (null → "", the exporter's missing text).
    /// </summary>
    public static Scores Run(string path, IReadOnlyList<IReadOnlyDictionary<string, object?>> rows)
    {
        using var session = new InferenceSession(path);
        int n = rows.Count;
        var names = new List<string>();
        var values = new List<OrtValue>();
        try
        {
            foreach (var (name, meta) in session.InputMetadata)
            {
                names.Add(name);
                if (meta.ElementDataType == TensorElementType.String)
                {
                    var value = OrtValue.CreateTensorWithEmptyStrings(OrtAllocator.DefaultInstance, [n, 1]);
                    for (int i = 0; i < n; i++)
                        value.StringTensorSetElementAt(Text(rows[i][name]), i);
                    values.Add(value);
                }
                else
                {
                    float[] data = [.. rows.Select(r => Number(r[name]))];
                    values.Add(OrtValue.CreateTensorValueFromMemory(data, [n, 1]));
                }
            }
            string[] outputs = [.. session.OutputMetadata.Keys];
            using var options = new RunOptions();
            using var results = session.Run(options, names, values, outputs);
            var byName = outputs.Zip(results).ToDictionary(p => p.First, p => p.Second);
            var numbers = byName.TryGetValue(OnnxExporter.ProbabilitiesOutput, out var p) ? p : byName[OnnxExporter.VariableOutput];
            long[] shape = numbers.GetTensorTypeAndShape().Shape;
            Assert.Equal(n, shape[0]);
            var span = numbers.GetTensorDataAsSpan<float>();
            var matrix = new float[n, shape[1]];
            for (int i = 0; i < n; i++)
            {
                for (int j = 0; j < shape[1]; j++)
                    matrix[i, j] = span[i * (int)shape[1] + j];
            }
            string[]? labels = byName.TryGetValue(OnnxExporter.LabelOutput, out var l) ? l.GetStringTensorAsArray() : null;
            return new Scores(matrix, labels);
        }
        finally
        {
            foreach (var v in values)
                v.Dispose();
        }
    }

    private static string Text(object? value) => value switch
    {
        null => OnnxExporter.MissingText,
        string s => s,
        _ => Convert.ToString(value, CultureInfo.InvariantCulture)!,
    };

    private static float Number(object? value) => value switch
    {
        null => float.NaN,
        float f => f,
        _ => Convert.ToSingle(value, CultureInfo.InvariantCulture),
    };

    /// <summary>The rows of <paramref name="table"/> as named values for the model's columns (null for missing).</summary>
    public static List<IReadOnlyDictionary<string, object?>> Rows(DataTable table, TableEncoding encoding)
    {
        var rows = new List<IReadOnlyDictionary<string, object?>>(table.Count);
        var numericIndex = table.NumericColumns.Select((c, j) => (c.Name, j)).ToDictionary(p => p.Name, p => p.j);
        var textIndex = table.CategoricalColumns.Select((c, j) => (c.Name, j)).ToDictionary(p => p.Name, p => p.j);
        for (int i = 0; i < table.Count; i++)
        {
            var row = new Dictionary<string, object?>(StringComparer.Ordinal);
            foreach (var column in encoding.Columns)
            {
                if (column.Kind == ColumnKind.Numeric)
                {
                    float v = table.Numeric[i, numericIndex[column.Name]];
                    row[column.Name] = float.IsNaN(v) ? null : v;
                }
                else
                {
                    int j = textIndex[column.Name];
                    int code = table.Codes[i * table.CategoricalCount + j];
                    row[column.Name] = code < 0 ? null : table.Levels[j][code];
                }
            }
            rows.Add(row);
        }
        return rows;
    }

    /// <summary>
    /// Copies of the first rows with values the training data did not have: a level never seen, a missing text
    /// value (null, or the marker "NA"), a missing number (null, or NaN); then a row with every column missing and the first row with every text column unseen.
    /// </summary>
    public static List<IReadOnlyDictionary<string, object?>> Unusual(IReadOnlyList<IReadOnlyDictionary<string, object?>> rows, TableEncoding encoding, int count)
    {
        var result = new List<IReadOnlyDictionary<string, object?>>();
        var columns = encoding.Columns;
        for (int i = 0; i < count && i < rows.Count; i++)
        {
            var row = new Dictionary<string, object?>(rows[i], StringComparer.Ordinal);
            var column = columns[i % columns.Length];
            row[column.Name] = (column.Kind, i / columns.Length % 3) switch
            {
                (ColumnKind.Categorical, 0) => $"never seen {i}",
                (ColumnKind.Categorical, 1) => null,
                (ColumnKind.Categorical, _) => "NA",
                (_, 2) => float.NaN,
                _ => null,
            };
            result.Add(row);
        }
        result.Add(columns.ToDictionary(c => c.Name, object? (c) => null, StringComparer.Ordinal));
        if (rows.Count > 0)
            result.Add(columns.ToDictionary(c => c.Name, c => c.Kind == ColumnKind.Numeric ? rows[0][c.Name] : "an unseen level", StringComparer.Ordinal));
        return result;
    }
}
