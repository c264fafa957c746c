namespace Engine.Data;

/// <summary>
/// Turns the records the reader found into float features and target text, in file order: quote-free records are
/// split on commas and parsed from spans of the raw record (no string per field), others come as CsvHelper's
/// unquoted fields. With <c>threaded</c>, the work runs on its own thread, fed batches of records, so parsing the
/// CSV structure and parsing the numbers overlap; the first error in file order is the one reported.
/// </summary>
internal sealed class RowConverter : IDisposable
{
    private const int BatchRows = 256;

    private readonly string _path;
    private readonly CsvColumns _columns;
    private readonly long _expectedChars;
    private readonly TextColumn _targets = new();
    private readonly BackgroundBatches<CsvRecord>? _thread;
    private float[] _values = [];

    public RowConverter(string path, CsvColumns columns, long expectedChars, bool threaded)
    {
        _path = path;
        _columns = columns;
        _expectedChars = expectedChars;
        if (threaded)
            _thread = new BackgroundBatches<CsvRecord>(Convert, BatchRows, "CsvDataset convert");
    }

    public int Rows { get; private set; }

    /// <summary>The target's text per row (empty when no target is read).</summary>
    public List<string> Targets => _targets.Values;

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
            for (int j = 0; j < values.Length; j++)
                values[j] = CsvNumbers.Parse(_path, line, _columns.Header[featureColumns[j]], fields[featureColumns[j]]);
            target = targetColumn >= 0 ? fields[targetColumn] : default;
        }
        else
        {
            target = SplitRecord(record.Text, values, line);
        }
        if (targetColumn >= 0)
        {
            if (target.IsEmpty)
                throw new DataFormatException(_path, line, _columns.TargetName, "the target is empty.");
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
                values[slot] = plain ? value : CsvNumbers.Parse(_path, line, _columns.Header[column], record[start..pos]);
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

    /// <summary>Room for the values of all rows, guessed from the text's length and the first row's.</summary>
    private static int InitialCapacity(long expectedChars, int firstRowChars, int width)
    {
        long rows = expectedChars / Math.Max(1, firstRowChars);
        long capacity = (rows + (rows / 16) + 16) * width;
        return (int)Math.Clamp(capacity, width, Math.Min(Array.MaxLength, 1L << 28));
    }

    public void Dispose() => _thread?.Dispose();
}
