using System.Buffers;
using System.Globalization;
using CsvHelper;

namespace Engine.Data;

/// <summary>The raw result of reading a CSV: float features and the target column's text, with each row's line.</summary>
internal sealed class CsvTable
{
    private CsvTable(string path, string[] header, int[] featureColumns, int targetColumn, Matrix<float> features, List<string> targets, List<long> lines)
    {
        Path = path;
        Header = header;
        FeatureColumns = featureColumns;
        TargetColumn = targetColumn;
        Features = features;
        TargetText = targets;
        Lines = lines;
    }

    public string Path { get; }
    public string[] Header { get; }
    public int[] FeatureColumns { get; }
    public int TargetColumn { get; }
    public Matrix<float> Features { get; }
    public List<string> TargetText { get; }
    public List<long> Lines { get; }

    public static CsvTable Read(string path, CsvLoadOptions options, bool requireTarget, bool? pipelined = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        try
        {
            return ReadCore(path, options, requireTarget, pipelined);
        }
        catch (CsvHelperException e)
        {
            long? line = e.Context?.Parser?.RawRow;
            throw new DataFormatException(path, line, null, $"malformed CSV ({FirstLine(e.Message)}).");
        }
        catch (System.Text.DecoderFallbackException)
        {
            throw new DataFormatException(path, null, null, "the file is not valid UTF-8 text.");
        }
        catch (InvalidDataException e)
        {
            throw new DataFormatException(path, null, null, $"the gzip stream is corrupted ({e.Message}).");
        }
    }

    // A record holding none of these is split on commas directly; any other goes through CsvHelper's fields.
    private static readonly SearchValues<char> NeedsParser = SearchValues.Create("\"\r\n\uFFFD");

    private static CsvTable ReadCore(string path, CsvLoadOptions options, bool requireTarget, bool? pipelined)
    {
        using var reader = CsvDataset.OpenText(path, out var invalidUtf8, out long expectedChars, pipelined);
        string? badField = null;
        using var parser = new CsvParser(reader, CsvDataset.Configuration(field => badField ??= field));
        if (!parser.Read())
        {
            if (invalidUtf8.Seen)
                throw new DataFormatException(path, 1, null, "the header is not valid UTF-8 text.");
            throw new DataFormatException(path, 1, null, "the file is empty (a header row is required).");
        }
        string[] header = parser.Record ?? [];
        CheckBad(path, ref badField, 1);
        if (invalidUtf8.Seen && Array.FindIndex(header, h => h.Contains('\uFFFD', StringComparison.Ordinal)) is int badName and >= 0)
            throw new DataFormatException(path, 1, null, $"header column {badName + 1} is not valid UTF-8 text.");
        CheckHeader(path, header);
        int targetColumn = requireTarget ? FindTarget(path, header, options) : -1;
        int[] featureColumns = FindFeatures(path, header, options, targetColumn);

        int width = featureColumns.Length;
        using var converter = new RowConverter(path, header, featureColumns, targetColumn, expectedChars, threaded: reader is PipelinedTextReader);
        try
        {
            while (parser.Read())
            {
                string raw = parser.RawRecord;
                string[]? fields = null;
                long line;
                if (WithoutLineEnd(raw).ContainsAny(NeedsParser))
                {
                    // Quotes, or bad bytes: let CsvHelper unquote every field (which also reports bad quoting).
                    line = RecordStartLine(parser.RawRow, raw);
                    fields = parser.Record ?? [];
                    CheckBad(path, ref badField, line);
                    if (invalidUtf8.Seen && Array.FindIndex(fields, f => f.Contains('\uFFFD', StringComparison.Ordinal)) is int bad and >= 0)
                        throw new DataFormatException(path, line, bad < header.Length ? header[bad] : null, "the field is not valid UTF-8 text.");
                }
                else
                {
                    line = parser.RawRow;
                }
                if (parser.Count != header.Length)
                    throw new DataFormatException(path, line, null, $"the row has {parser.Count} fields but the header has {header.Length}.");
                converter.Add(raw, fields, line);
            }
            converter.Complete();
        }
        catch
        {
            converter.Complete(); // an error the converter found on an earlier row comes first
            throw;
        }
        if (invalidUtf8.Seen)
            throw new DataFormatException(path, null, null, "the file is not valid UTF-8 text.");
        int rows = converter.Rows;
        if (rows == 0)
            throw new DataFormatException(path, 2, null, "the header has no rows below it.");
        float[] values = converter.Values;
        if (values.Length > (long)rows * width + (rows * (long)width / 8))
            Array.Resize(ref values, rows * width); // the estimate overshot by more than 1/8
        var features = new Matrix<float>(rows, width, values);
        return new CsvTable(path, header, featureColumns, targetColumn, features, converter.Targets, converter.Lines);
    }

    /// <summary>The record without its line ending.</summary>
    internal static ReadOnlySpan<char> WithoutLineEnd(string raw)
    {
        int n = raw.Length;
        if (n > 0 && raw[n - 1] == '\n')
            n--;
        if (n > 0 && raw[n - 1] == '\r')
            n--;
        return raw.AsSpan(0, n);
    }

    /// <summary>
    /// The physical line a record starts on. CsvHelper's RawRow is the line it ends on: it also counts the line
    /// breaks inside quoted fields (and, for an unclosed quote, the ones up to the end of the file).
    /// </summary>
    private static long RecordStartLine(long rawRow, string raw)
    {
        int breaks = 0;
        bool inQuotes = false, fieldStart = true;
        for (int i = 0; i < raw.Length; i++)
        {
            char c = raw[i];
            if (inQuotes)
            {
                if (c == '"')
                {
                    if (i + 1 < raw.Length && raw[i + 1] == '"')
                        i++;
                    else
                        inQuotes = false;
                }
                else if (c is '\r' or '\n')
                {
                    if (c == '\r' && i + 1 < raw.Length && raw[i + 1] == '\n')
                        i++;
                    breaks++;
                }
                continue;
            }
            if (c == ',')
            {
                fieldStart = true;
                continue;
            }
            inQuotes = c == '"' && fieldStart;
            fieldStart = false;
        }
        return Math.Max(1, rawRow - breaks);
    }

    /// <summary>Turns the target text into class indices or values and makes the dataset.</summary>
    public Dataset ToDataset(CsvLoadOptions options)
    {
        string targetName = Header[TargetColumn];
        var task = options.Task ?? DetectTask();
        var y = new Matrix<float>(Features.Rows, 1);
        string[]? classes = null;
        if (task == TaskKind.Regression)
        {
            for (int i = 0; i < TargetText.Count; i++)
                y[i, 0] = ParseValue(Path, Lines[i], targetName, TargetText[i]);
        }
        else
        {
            classes = options.ClassNames is { } given ? [.. given] : SortedLabels();
            if (options.ClassNames is null && classes.Length < 2)
                throw new DataFormatException(Path, null, targetName, $"every row has the class '{classes[0]}'; classification needs at least two classes.");
            var index = new Dictionary<string, int>(StringComparer.Ordinal);
            for (int c = 0; c < classes.Length; c++)
                index[classes[c]] = c;
            for (int i = 0; i < TargetText.Count; i++)
            {
                if (!index.TryGetValue(Canonical(TargetText[i]), out int c))
                    throw new DataFormatException(Path, Lines[i], targetName, $"the class '{TargetText[i]}' is not one of the model's classes ({string.Join(", ", classes)}).");
                y[i, 0] = c;
            }
        }
        string[] featureNames = [.. FeatureColumns.Select(j => Header[j])];
        return new Dataset(Features, y, featureNames, targetName, task, classes, Path);
    }

    // Numeric labels are compared as numbers, so "1" and "1.0" are one class.
    private static string Canonical(string label) =>
        double.TryParse(label, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) && double.IsFinite(v)
            ? v.ToString("R", CultureInfo.InvariantCulture)
            : label;

    private TaskKind DetectTask()
    {
        var distinct = new HashSet<double>();
        foreach (string t in TargetText)
        {
            if (!double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) || !double.IsFinite(v))
                return TaskKind.Classification; // text labels
            if (v != Math.Floor(v))
                return TaskKind.Regression;
            distinct.Add(v);
        }
        return distinct.Count <= CsvDataset.MaxAutoClasses ? TaskKind.Classification : TaskKind.Regression;
    }

    private string[] SortedLabels()
    {
        var labels = TargetText.Select(Canonical).Distinct(StringComparer.Ordinal).ToList();
        bool numeric = labels.All(l => double.TryParse(l, NumberStyles.Float, CultureInfo.InvariantCulture, out _));
        return numeric
            ? [.. labels.OrderBy(l => double.Parse(l, CultureInfo.InvariantCulture))]
            : [.. labels.OrderBy(l => l, StringComparer.Ordinal)];
    }

    /// <summary>
    /// Parses one number. Plain integers of up to 7 digits (every pixel of an image CSV) take a fast path that
    /// is exact in float32; everything else goes through float.Parse, which rounds correctly.
    /// </summary>
    internal static float ParseValue(string path, long line, string column, ReadOnlySpan<char> text)
    {
        if (text.IsEmpty)
            throw new DataFormatException(path, line, column, "the field is empty.");
        if (TryParseSmallInteger(text, out float fast))
            return fast;
        if (!float.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out float value))
            throw new DataFormatException(path, line, column, $"'{Shorten(text)}' is not a number.");
        if (!float.IsFinite(value))
        {
            string why = float.IsNaN(value) ? "NaN is not allowed" : double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double d) && double.IsFinite(d)
                ? "it is outside the float32 range"
                : "infinity is not allowed";
            throw new DataFormatException(path, line, column, $"'{Shorten(text)}': {why}.");
        }
        return value;
    }

    private static bool TryParseSmallInteger(ReadOnlySpan<char> s, out float value)
    {
        value = 0;
        int i = 0, n = s.Length;
        bool negative = n > 1 && s[0] == '-';
        if (negative)
            i = 1;
        if (n - i is < 1 or > 7)
            return false;
        int v = 0;
        for (; i < n; i++)
        {
            int digit = s[i] - '0';
            if ((uint)digit > 9)
                return false;
            v = v * 10 + digit;
        }
        value = negative ? -(float)v : v; // "-0" is −0f, as float.Parse gives
        return true;
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
            return j >= 0 ? j : throw new DataFormatException(path, 1, name, $"there is no such column; the columns are {Columns(header)}.");
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
                throw new DataFormatException(path, 1, name, $"there is no such column; the columns are {Columns(header)}.");
            if (j == targetColumn)
                throw new DataFormatException(path, 1, name, "the target column cannot also be a feature.");
            columns.Add(j);
        }
        if (columns.Count == 0)
            throw new DataFormatException(path, 1, null, "no feature columns were selected.");
        return [.. columns];
    }

    private static void CheckBad(string path, ref string? badField, long line)
    {
        if (badField is null)
            return;
        string field = badField;
        badField = null;
        throw new DataFormatException(path, line, null, $"badly quoted field '{Shorten(field)}' (a quote inside an unquoted field, or an unclosed quote).");
    }

    private static string Columns(string[] header) =>
        header.Length <= 12 ? string.Join(", ", header) : $"{string.Join(", ", header.Take(12))}, … ({header.Length} in all)";

    private static string Shorten(ReadOnlySpan<char> text) => text.Length <= 40 ? text.ToString() : string.Concat(text[..40], "…");

    private static string FirstLine(string message)
    {
        int end = message.IndexOfAny(['\r', '\n']);
        return end < 0 ? message : message[..end];
    }
}
