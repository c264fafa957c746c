using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;

namespace Engine.Data;

/// <summary>
/// Turns the records CsvHelper found into float features and target text, in file order: quote-free records are
/// split on commas and parsed from spans of the raw record (no string per field), others come as CsvHelper's
/// unquoted fields. With <c>threaded</c>, the work runs on its own thread, fed batches of records, so parsing the
/// CSV structure and parsing the numbers overlap; the first error in file order is the one reported.
/// </summary>
internal sealed class RowConverter : IDisposable
{
    private const int BatchRows = 256;
    private const int Skipped = -1, Target = -2;

    private readonly string _path;
    private readonly string[] _header;
    private readonly int[] _featureColumns;
    private readonly int _targetColumn;
    private readonly long _expectedChars;
    private readonly int[] _slots; // per column: the feature index it fills, Target, or Skipped
    private readonly Dictionary<string, string> _labels = new(StringComparer.Ordinal);
    private readonly BlockingCollection<Row[]>? _queue;
    private readonly Thread? _thread;
    private Row[]? _batch;
    private int _batchCount;
    private ExceptionDispatchInfo? _error;
    private volatile bool _failed;
    private bool _completed;
    private float[] _values = [];

    public RowConverter(string path, string[] header, int[] featureColumns, int targetColumn, long expectedChars, bool threaded)
    {
        _path = path;
        _header = header;
        _featureColumns = featureColumns;
        _targetColumn = targetColumn;
        _expectedChars = expectedChars;
        _slots = new int[header.Length];
        Array.Fill(_slots, Skipped);
        for (int j = 0; j < featureColumns.Length; j++)
            _slots[featureColumns[j]] = j;
        if (targetColumn >= 0)
            _slots[targetColumn] = Target;
        if (threaded)
        {
            _queue = new BlockingCollection<Row[]>(16);
            _thread = new Thread(Consume) { IsBackground = true, Name = "CsvDataset convert" };
            _thread.Start();
        }
    }

    /// <summary>One record: the raw text (quote-free records) or CsvHelper's fields, and its line.</summary>
    private readonly record struct Row(string Raw, string[]? Fields, long Line);

    public int Rows { get; private set; }

    public List<string> Targets { get; } = [];

    public List<long> Lines { get; } = [];

    /// <summary>The features, row-major, with room to spare beyond <see cref="Rows"/> × width.</summary>
    public float[] Values => _values;

    /// <summary>Adds a record whose field count has been checked; throws an earlier row's error when the converter thread found one.</summary>
    public void Add(string raw, string[]? fields, long line)
    {
        if (_queue is null)
        {
            Convert(new Row(raw, fields, line));
            return;
        }
        if (_failed)
            Complete();
        _batch ??= new Row[BatchRows];
        _batch[_batchCount++] = new Row(raw, fields, line);
        if (_batchCount == BatchRows)
        {
            _queue.Add(_batch);
            _batch = null;
            _batchCount = 0;
        }
    }

    /// <summary>Waits for every added record to be converted; rethrows the converter's error, if any.</summary>
    public void Complete()
    {
        if (!_completed && _queue is not null)
        {
            _completed = true;
            if (_batchCount > 0)
                _queue.Add(_batch![.._batchCount]);
            _queue.CompleteAdding();
            _thread!.Join();
        }
        _error?.Throw();
    }

    private void Consume()
    {
        foreach (var batch in _queue!.GetConsumingEnumerable())
        {
            if (_failed)
                continue; // keep draining so the reading thread never blocks
            try
            {
                foreach (var row in batch)
                    Convert(row);
            }
            catch (Exception e)
            {
                _error = ExceptionDispatchInfo.Capture(e);
                _failed = true;
            }
        }
    }

    private void Convert(Row item)
    {
        long line = item.Line;
        int width = _featureColumns.Length;
        if (_values.Length == 0)
            _values = new float[InitialCapacity(_expectedChars, item.Raw.Length, width)];
        if ((long)(Rows + 1) * width > _values.Length)
        {
            long needed = (long)(Rows + 1) * width;
            if (needed > Array.MaxLength)
                throw new DataFormatException(_path, line, null, "the file has more values than one array can hold.");
            Array.Resize(ref _values, (int)Math.Min(Math.Max(_values.Length + (_values.Length / 2L), needed), Array.MaxLength));
        }
        var values = _values.AsSpan(Rows * width, width);
        ReadOnlySpan<char> target;
        if (item.Fields is string[] fields)
        {
            for (int j = 0; j < values.Length; j++)
                values[j] = CsvTable.ParseValue(_path, line, _header[_featureColumns[j]], fields[_featureColumns[j]]);
            target = _targetColumn >= 0 ? fields[_targetColumn] : default;
        }
        else
        {
            target = ParseRecord(CsvTable.WithoutLineEnd(item.Raw), values, line);
        }
        if (_targetColumn >= 0)
        {
            if (target.IsEmpty)
                throw new DataFormatException(_path, line, _header[_targetColumn], "the target is empty.");
            if (!_labels.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(target, out string? text))
            {
                text = target.ToString();
                if (_labels.Count < 4096)
                    _labels[text] = text;
            }
            Targets.Add(text);
        }
        Lines.Add(line);
        Rows++;
    }

    /// <summary>
    /// Splits a quote-free record on commas and parses its features in one pass; returns the target field.
    /// Plain integers of up to 7 digits are converted on the way (exact in float32, as <see cref="CsvTable.ParseValue"/>'s
    /// fast path); any other field goes to <see cref="CsvTable.ParseValue"/>, so every value and error is the same.
    /// </summary>
    private ReadOnlySpan<char> ParseRecord(ReadOnlySpan<char> record, Span<float> values, long line)
    {
        int[] slots = _slots;
        ReadOnlySpan<char> target = default;
        int column = 0, pos = 0, length = record.Length;
        while (true)
        {
            int start = pos;
            bool negative = pos < length && record[pos] == '-';
            if (negative)
                pos++;
            int digitsStart = pos, v = 0;
            while (pos < length)
            {
                int digit = record[pos] - '0';
                if ((uint)digit > 9)
                    break;
                v = unchecked((v * 10) + digit);
                pos++;
            }
            int digits = pos - digitsStart;
            bool plain = digits is >= 1 and <= 7;
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
                values[slot] = plain ? (negative ? -(float)v : v) : CsvTable.ParseValue(_path, line, _header[column], record[start..pos]);
            else if (slot == Target)
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

    public void Dispose()
    {
        if (_queue is null)
            return;
        if (!_completed)
        {
            _completed = true;
            _failed = true;
            _queue.CompleteAdding();
            _thread!.Join();
        }
        _queue.Dispose();
    }
}
