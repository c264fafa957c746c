namespace Engine.Data;

/// <summary>
/// Turns the records the reader found into float features and target text, in file order: quote-free records are
/// split on commas and parsed from spans of the raw record (no string per field), others come as CsvHelper's
/// unquoted fields. With <c>threaded</c>, the work runs on its own thread, fed batches of records, so parsing the
/// CSV structure and parsing the numbers overlap; the first error in file order is the one reported.
/// Each feature is read as its <see cref="ColumnMode"/> says (<see cref="Reads"/>): numbers go to the float matrix
/// (NaN for a missing-value marker), text columns keep one pooled string per row; an inferred column turns to text at
/// its first field that is text or quoted (when it had numbers before, its earlier text is lost: <see cref="ColumnRead.Reread"/>).
/// </summary>
internal sealed class RowConverter : IDisposable
{
    private const int BatchRows = 256;

    private readonly string _path;
    private readonly CsvColumns _columns;
    private readonly long _expectedChars;
    private readonly TextColumn _targets = new();
    private readonly BackgroundBatches<CsvRecord>? _thread;
    private readonly MissingMarkers? _markers;
    private readonly bool[] _fast; // per feature: a plain small integer is its value (no marker lookup, no text)
    private bool[] _quoted = [];
    private float[] _values = [];

    /// <summary>A converter; <paramref name="markers"/> null: strict (every feature <see cref="ColumnMode.Strict"/>).</summary>
    public RowConverter(string path, CsvColumns columns, MissingMarkers? markers, long expectedChars, bool threaded)
    {
        _path = path;
        _columns = columns;
        _markers = markers;
        _expectedChars = expectedChars;
        Reads = [.. columns.Modes.Select(m => new ColumnRead(m))];
        _fast = [.. columns.Modes.Select(m => m == ColumnMode.Strict || (m != ColumnMode.Text && markers is { LookNumeric: false }))];
        foreach (var read in Reads)
        {
            if (read.Mode == ColumnMode.Text)
                read.Text = new TextColumn();
        }
        if (threaded)
            _thread = new BackgroundBatches<CsvRecord>(Convert, BatchRows, "CsvDataset convert");
    }

    public int Rows { get; private set; }

    /// <summary>The target's text per row, null where missing (empty when no target is read).</summary>
    public TextColumn Targets => _targets;

    /// <summary>Per feature: how it was read and, for text, its values.</summary>
    public ColumnRead[] Reads { get; }

    /// <summary>The line each row starts on.</summary>
    public List<long> Lines { get; } = [];

    /// <summary>Adds a record whose field count has been checked; throws an earlier row's error when the converter thread found one.</summary>
    public void Add(in CsvRecord record)
    {
        if (_thread is null)
            Convert(record);
        else
            _thread.Add(record);
    }

    /// <summary>Waits for every added record to be converted; rethrows the converter's error, if any.</summary>
    public void Complete() => _thread?.Complete();

    /// <summary>The features of the <see cref="Rows"/> rows (call after <see cref="Complete"/>).</summary>
    public Matrix<float> Features()
    {
        int rows = Rows, width = _columns.Width;
        float[] values = _values;
        if (values.Length > (long)rows * width + (rows * (long)width / 8))
            Array.Resize(ref values, rows * width); // the estimate overshot by more than 1/8
        return new Matrix<float>(rows, width, values);
    }

    private void Convert(CsvRecord record)
    {
        long line = record.Line;
        int width = _columns.Width;
        if (_values.Length == 0)
            _values = new float[InitialCapacity(_expectedChars, record.Raw.Length, width)];
        if ((long)(Rows + 1) * width > _values.Length)
        {
            long needed = (long)(Rows + 1) * width;
            if (needed > Array.MaxLength)
                throw new DataFormatException(_path, line, null, "the file has more values than one array can hold.");
            Array.Resize(ref _values, (int)Math.Min(Math.Max(_values.Length + (_values.Length / 2L), needed), Array.MaxLength));
        }
        var values = _values.AsSpan(Rows * width, width);
        int targetColumn = _columns.TargetColumn;
        ReadOnlySpan<char> target;
        if (record.Fields is string[] fields)
        {
            int[] featureColumns = _columns.FeatureColumns;
            if (_markers is not null)
                MarkQuoted(record.Text, fields.Length);
            for (int j = 0; j < values.Length; j++)
            {
                int column = featureColumns[j];
                values[j] = Field(j, fields[column], _markers is not null && _quoted[column], line);
            }
            target = targetColumn >= 0 ? fields[targetColumn] : default;
            if (targetColumn >= 0 && _markers is not null && _quoted[targetColumn])
                _targets.Quoted = true;
        }
        else
        {
            target = SplitRecord(record.Text, values, line);
        }
        if (targetColumn >= 0)
        {
            if (_markers is null && target.IsEmpty)
                throw new DataFormatException(_path, line, _columns.TargetName, "the target is empty.");
            if (_markers is not null && _markers.IsMissing(target))
                _targets.AddMissing();
            else
                _targets.Add(target);
        }
        Lines.Add(line);
        Rows++;
    }

    /// <summary>
    /// Splits a quote-free record on commas and parses its features in one pass; returns the target field. Small
    /// integers are read while looking for the comma (<see cref="CsvNumbers.TryReadSmallInteger"/>); any other
    /// field goes to <see cref="CsvNumbers.Parse"/>, so every value and error is the same as on the other path.
    /// </summary>
    private ReadOnlySpan<char> SplitRecord(ReadOnlySpan<char> record, Span<float> values, long line)
    {
        int[] slots = _columns.Slots;
        ReadOnlySpan<char> target = default;
        int column = 0, pos = 0, length = record.Length;
        while (true)
        {
            int start = pos;
            bool plain = CsvNumbers.TryReadSmallInteger(record, ref pos, out float value);
            if (pos < length && record[pos] != ',')
            {
                int comma = record[pos..].IndexOf(',');
                pos = comma < 0 ? length : pos + comma;
                plain = false;
            }
            if (column >= slots.Length)
                throw new DataFormatException(_path, line, null, $"the row does not have the header's {slots.Length} fields.");
            int slot = slots[column];
            if (slot >= 0)
                values[slot] = plain && _fast[slot] ? value : Field(slot, record[start..pos], quoted: false, line);
            else if (slot == CsvColumns.Target)
                target = record[start..pos];
            column++;
            if (pos >= length)
                break;
            pos++; // the comma
        }
        if (column != slots.Length)
            throw new DataFormatException(_path, line, null, $"the row does not have the header's {slots.Length} fields.");
        return target;
    }

    /// <summary>
    /// Reads feature <paramref name="j"/>'s field as its mode says; returns the value for the float matrix (NaN when
    /// missing or kept as text).
    /// </summary>
    private float Field(int j, ReadOnlySpan<char> field, bool quoted, long line)
    {
        var read = Reads[j];
        if (read.Mode == ColumnMode.Strict)
            return CsvNumbers.Parse(_path, line, ColumnName(j), field);
        bool missing = _markers!.IsMissing(field);
        if (read.Mode == ColumnMode.Infer && !missing)
        {
            float value = 0;
            var problem = quoted ? CsvNumbers.Problem.NotANumber : CsvNumbers.TryParse(field, out value);
            switch (problem)
            {
                case CsvNumbers.Problem.None:
                    return value;
                case CsvNumbers.Problem.OutOfRange or CsvNumbers.Problem.Infinite:
                    read.Deferred ??= CsvNumbers.Error(_path, line, ColumnName(j), field, problem); // an error if the column stays numeric
                    return float.NaN;
                default:
                    ToText(j, read);
                    break;
            }
        }
        if (read.Mode == ColumnMode.Text)
        {
            if (missing)
            {
                read.Text!.AddMissing();
            }
            else
            {
                read.Text!.Add(field);
                read.Text.Quoted |= quoted;
            }
            return float.NaN;
        }
        return missing ? float.NaN : CsvNumbers.Parse(_path, line, ColumnName(j), field);
    }

    /// <summary>An inferred column meets text: from this row on it is kept as text; the rows before were missing, or are lost.</summary>
    private void ToText(int j, ColumnRead read)
    {
        read.Mode = ColumnMode.Text;
        read.Text = new TextColumn();
        read.Text.AddMissing(Rows);
        read.Reread = read.Deferred is not null || HasNumbers(j);
        _fast[j] = false;
    }

    /// <summary>Whether any row before this one holds a number in feature <paramref name="j"/>.</summary>
    private bool HasNumbers(int j)
    {
        int width = _columns.Width;
        for (int i = 0; i < Rows; i++)
        {
            if (!float.IsNaN(_values[(i * width) + j]))
                return true;
        }
        return false;
    }

    private string ColumnName(int j) => _columns.Header[_columns.FeatureColumns[j]];

    /// <summary>Marks in <see cref="_quoted"/> which fields of a record are written in quotes.</summary>
    private void MarkQuoted(ReadOnlySpan<char> record, int fields)
    {
        if (_quoted.Length < fields)
            _quoted = new bool[fields];
        CsvRecordReader.ScanQuotes(record, _quoted);
    }

    /// <summary>Room for the values of all rows, guessed from the text's length and the first row's.</summary>
    private static int InitialCapacity(long expectedChars, int firstRowChars, int width)
    {
        long rows = expectedChars / Math.Max(1, firstRowChars);
        long capacity = (rows + (rows / 16) + 16) * width;
        return (int)Math.Clamp(capacity, width, Math.Min(Array.MaxLength, 1L << 28));
    }

    public void Dispose() => _thread?.Dispose();
}

/// <summary>How the converter read one feature column: its mode at the end and, for a text column, its values.</summary>
internal sealed class ColumnRead(ColumnMode mode)
{
    /// <summary>The mode at the end of the file (<see cref="ColumnMode.Infer"/> turns to <see cref="ColumnMode.Text"/>).</summary>
    public ColumnMode Mode { get; set; } = mode;

    /// <summary>The values of a text column (null for the others).</summary>
    public TextColumn? Text { get; set; }

    /// <summary>The column turned to text after numbers, whose text is lost: the file must be read again with it as text.</summary>
    public bool Reread { get; set; }

    /// <summary>A number outside the float32 range in an inferred column: the error, should the column stay numeric.</summary>
    public DataFormatException? Deferred { get; set; }
}
