using System.Buffers;
using CsvHelper;
using CsvHelper.Configuration;

namespace Engine.Data;

/// <summary>
/// One record as the parser found it: the raw text without its line ending (<see cref="Fields"/> null: the record has
/// no quotes, so splitting it on commas gives its fields) or CsvHelper's unquoted fields, and the line it starts on.
/// </summary>
internal readonly record struct CsvRecord(string Raw, int Length, string[]? Fields, long Line)
{
    /// <summary>The record's text without its line ending.</summary>
    public ReadOnlySpan<char> Text => Raw.AsSpan(0, Length);
}

/// <summary>
/// Reads the records of a CSV file with CsvHelper's parser (strict RFC 4180: quotes, embedded line breaks, blank
/// lines): the header, then each record with its start line, its field count checked against the header's; badly
/// quoted fields and invalid UTF-8 are refused with their line.
/// </summary>
internal sealed class CsvRecordReader : IDisposable
{
    // A record holding none of these is split on commas directly; any other goes through CsvHelper's fields.
    private static readonly SearchValues<char> NeedsParser = SearchValues.Create("\"\r\n\uFFFD");

    private readonly TextReader _text;
    private readonly CsvParser _parser;
    private readonly InvalidUtf8Fallback _invalidUtf8;
    private string? _badField;

    private CsvRecordReader(string path, TextReader text, InvalidUtf8Fallback invalidUtf8, long expectedChars)
    {
        Path = path;
        _text = text;
        _invalidUtf8 = invalidUtf8;
        ExpectedChars = expectedChars;
        _parser = new CsvParser(text, Configuration(field => _badField ??= field));
    }

    /// <summary>The file.</summary>
    public string Path { get; }

    /// <summary>The header's fields (the column names are not checked here).</summary>
    public string[] Header { get; private set; } = [];

    /// <summary>About how many characters the text holds, to size the buffers.</summary>
    public long ExpectedChars { get; }

    /// <summary>Whether the text is decoded on another thread (then converting numbers gets a thread too).</summary>
    public bool IsPipelined => _text is PipelinedTextReader;

    /// <summary>Opens the file (see <see cref="CsvText.Open"/>) and reads its header.</summary>
    public static CsvRecordReader Open(string path, bool? pipelined)
    {
        var text = CsvText.Open(path, out var invalidUtf8, out long expectedChars, pipelined);
        CsvRecordReader? reader = null;
        try
        {
            reader = new CsvRecordReader(path, text, invalidUtf8, expectedChars);
            reader.ReadHeader();
            return reader;
        }
        catch
        {
            if (reader is null)
                text.Dispose();
            reader?.Dispose();
            throw;
        }
    }

    private void ReadHeader()
    {
        if (!_parser.Read())
        {
            if (_invalidUtf8.Seen)
                throw new DataFormatException(Path, 1, null, "the header is not valid UTF-8 text.");
            throw new DataFormatException(Path, 1, null, "the file is empty (a header row is required).");
        }
        Header = _parser.Record ?? [];
        CheckBadField(1);
        if (_invalidUtf8.Seen && Array.FindIndex(Header, h => h.Contains('\uFFFD', StringComparison.Ordinal)) is int badName and >= 0)
            throw new DataFormatException(Path, 1, null, $"header column {badName + 1} is not valid UTF-8 text.");
    }

    /// <summary>The next record, or false at the end of the file (which throws if any of the text was not valid UTF-8).</summary>
    public bool Read(out CsvRecord record)
    {
        if (!_parser.Read())
        {
            if (_invalidUtf8.Seen)
                throw new DataFormatException(Path, null, null, "the file is not valid UTF-8 text.");
            record = default;
            return false;
        }
        string raw = _parser.RawRecord;
        int length = LengthWithoutLineEnd(raw);
        string[]? fields = null;
        long line;
        if (raw.AsSpan(0, length).ContainsAny(NeedsParser))
        {
            // Quotes, or bad bytes: let CsvHelper unquote every field (which also reports bad quoting).
            line = RecordStartLine(_parser.RawRow, raw);
            fields = _parser.Record ?? [];
            CheckBadField(line);
            if (_invalidUtf8.Seen && Array.FindIndex(fields, f => f.Contains('\uFFFD', StringComparison.Ordinal)) is int bad and >= 0)
                throw new DataFormatException(Path, line, bad < Header.Length ? Header[bad] : null, "the field is not valid UTF-8 text.");
        }
        else
        {
            line = _parser.RawRow;
        }
        if (_parser.Count != Header.Length)
            throw new DataFormatException(Path, line, null, $"the row has {_parser.Count} fields but the header has {Header.Length}.");
        record = new CsvRecord(raw, length, fields, line);
        return true;
    }

    /// <summary>The parser configuration: strict RFC 4180, invariant culture, repeated field strings pooled.</summary>
    private static CsvConfiguration Configuration(Action<string> badData) => new(CultureInfo.InvariantCulture)
    {
        HasHeaderRecord = true,
        Delimiter = ",",
        DetectColumnCountChanges = false,
        CacheFields = true,
        BufferSize = 1 << 16,
        BadDataFound = args => badData(args.Field),
        IgnoreBlankLines = true,
        TrimOptions = TrimOptions.None,
    };

    /// <summary>The record's length without its line ending.</summary>
    private static int LengthWithoutLineEnd(string raw)
    {
        int n = raw.Length;
        if (n > 0 && raw[n - 1] == '\n')
            n--;
        if (n > 0 && raw[n - 1] == '\r')
            n--;
        return n;
    }

    /// <summary>
    /// The physical line a record starts on. CsvHelper's RawRow is the line it ends on: it also counts the line
    /// breaks inside quoted fields (and, for an unclosed quote, the ones up to the end of the file).
    /// </summary>
    private static long RecordStartLine(long rawRow, string raw) => Math.Max(1, rawRow - ScanQuotes(raw, []));

    /// <summary>
    /// Follows a record's quoting: marks in <paramref name="quoted"/> (as far as it reaches) the fields written in quotes
    /// (a quote as the field's first character) and returns the number of line breaks inside quoted fields.
    /// </summary>
    public static int ScanQuotes(ReadOnlySpan<char> raw, Span<bool> quoted)
    {
        quoted.Clear();
        int breaks = 0, field = 0;
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
                field++;
                fieldStart = true;
                continue;
            }
            inQuotes = c == '"' && fieldStart;
            if (inQuotes && field < quoted.Length)
                quoted[field] = true;
            fieldStart = false;
        }
        return breaks;
    }

    private void CheckBadField(long line)
    {
        if (_badField is null)
            return;
        string field = _badField;
        _badField = null;
        throw new DataFormatException(Path, line, null, $"badly quoted field '{DataFormatException.Excerpt(field)}' (a quote inside an unquoted field, or an unclosed quote).");
    }

    public void Dispose()
    {
        _parser.Dispose();
        _text.Dispose();
    }
}
