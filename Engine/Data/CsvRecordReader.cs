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

    /// <summary>The longest record read, in characters: beyond it a file is refused (an unclosed quote, or not a CSV).</summary>
    public const int DefaultMaxRecordChars = 1 << 24;

    private readonly TextReader _text;
    private readonly RecordLimit _limit;
    private readonly CsvParser _parser;
    private readonly InvalidUtf8Fallback _invalidUtf8;
    private string? _badField;

    private CsvRecordReader(string path, TextReader text, InvalidUtf8Fallback invalidUtf8, long expectedChars, int maxRecordChars)
    {
        Path = path;
        _text = text;
        _invalidUtf8 = invalidUtf8;
        ExpectedChars = expectedChars;
        _limit = new RecordLimit(this, text, maxRecordChars);
        _parser = new CsvParser(_limit, Configuration(field => _badField ??= field));
    }

    /// <summary>The file.</summary>
    public string Path { get; }

    /// <summary>The header's fields (the column names are not checked here).</summary>
    public string[] Header { get; private set; } = [];

    /// <summary>About how many characters the text holds, to size the buffers.</summary>
    public long ExpectedChars { get; }

    /// <summary>Whether the text is decoded on another thread (then converting numbers gets a thread too).</summary>
    public bool IsPipelined => _text is PipelinedTextReader;

    /// <summary>Opens the file (see <see cref="CsvText.Open"/>) and reads its header; a record longer than <paramref name="maxRecordChars"/> is refused.</summary>
    public static CsvRecordReader Open(string path, bool? pipelined, int maxRecordChars = DefaultMaxRecordChars)
    {
        var text = CsvText.Open(path, out var invalidUtf8, out long expectedChars, pipelined);
        CsvRecordReader? reader = null;
        try
        {
            reader = new CsvRecordReader(path, text, invalidUtf8, expectedChars, maxRecordChars);
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
        _limit.RecordEnded(_parser.RawRow);
        CheckBadField(1);
        if (Header.Length == 1 && SeparatorHint(Header[0]) is string hint)
            throw new DataFormatException(Path, 1, null, hint);
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
        _limit.RecordEnded(_parser.RawRow);
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

    /// <summary>For a header of one column: whether the file looks separated by something other than commas.</summary>
    private static string? SeparatorHint(string header)
    {
        if (header.StartsWith("sep=", StringComparison.OrdinalIgnoreCase))
            return $"the first line '{DataFormatException.Excerpt(header)}' is Excel's separator line, and mlp reads comma-separated files: remove that line and save the file with commas.";
        foreach (char c in ";\t|")
        {
            if (header.Contains(c, StringComparison.Ordinal))
            {
                string name = c == '\t' ? "tabs" : $"'{c}'";
                return $"the header has 1 column — is the file separated by {name}? mlp reads comma-separated files (convert it, e.g. with tr '{(c == '\t' ? "\\t" : c.ToString())}' ',').";
            }
        }
        return null;
    }

    /// <summary>
    /// Counts the characters the parser takes from the text since the end of the last record; past the limit the
    /// file is refused (a record cannot be that long: an unclosed quote, an endless line, or not a CSV at all). The
    /// parser reads ahead at most one buffer, so a record within the limit minus that buffer is never refused.
    /// </summary>
    private sealed class RecordLimit(CsvRecordReader owner, TextReader inner, int maxChars) : TextReader
    {
        private long _delivered, _atLastRecord, _lastRecordLine;

        public void RecordEnded(long line)
        {
            _atLastRecord = _delivered;
            _lastRecordLine = line;
        }

        public override int Read(char[] buffer, int index, int count) => Count(inner.Read(buffer, index, count));

        public override int Read(Span<char> buffer) => Count(inner.Read(buffer));

        public override int ReadBlock(char[] buffer, int index, int count) => Count(inner.ReadBlock(buffer, index, count));

        public override int Read()
        {
            int c = inner.Read();
            Count(c < 0 ? 0 : 1);
            return c;
        }

        public override int Peek() => inner.Peek();

        private int Count(int n)
        {
            _delivered += n;
            if (_delivered - _atLastRecord > maxChars)
                throw new DataFormatException(owner.Path, _lastRecordLine + 1, null,
                    $"a record longer than {maxChars:N0} characters — an unclosed quote, or not a CSV file?");
            return n;
        }
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
