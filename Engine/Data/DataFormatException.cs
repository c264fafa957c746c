namespace Engine.Data;

/// <summary>
/// A CSV file the loader refuses. The message names the file, the 1-based line (the header is line 1)
/// and the column, e.g. <c>data/x.csv: line 7, column 'petal_width': 'abc' is not a number.</c>
/// </summary>
public sealed class DataFormatException : Exception
{
    /// <summary>Creates the exception; <paramref name="line"/> and <paramref name="column"/> may be unknown.</summary>
    public DataFormatException(string filePath, long? line, string? column, string problem)
        : base(Format(filePath, line, column, problem))
    {
        FilePath = filePath;
        Line = line;
        Column = column;
    }

    /// <summary>The file.</summary>
    public string FilePath { get; }

    /// <summary>1-based physical line, header = 1; null when the problem is not on one line.</summary>
    public long? Line { get; }

    /// <summary>The column's name, when one column is at fault.</summary>
    public string? Column { get; }

    /// <summary>A field as quoted in a message: its first 40 characters, then "…".</summary>
    internal static string Excerpt(ReadOnlySpan<char> text) => text.Length <= 40 ? text.ToString() : string.Concat(text[..40], "…");

    private static string Format(string path, long? line, string? column, string problem)
    {
        string where = (line, column) switch
        {
            (long l, string c) => $"line {l}, column '{c}': ",
            (long l, null) => $"line {l}: ",
            (null, string c) => $"column '{c}': ",
            _ => "",
        };
        return $"{path}: {where}{problem}";
    }
}
