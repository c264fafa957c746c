namespace Engine.Data;

/// <summary>
/// A column kept as text, one string per row (the target, whose meaning is decided once every row is read).
/// Repeated values share one string: the first 4096 distinct ones are pooled, so a column of class labels costs
/// no allocation per row.
/// </summary>
internal sealed class TextColumn
{
    private const int MaxPooled = 4096;

    private readonly Dictionary<string, string> _pool = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> _lookup;

    public TextColumn() => _lookup = _pool.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>The values, in row order.</summary>
    public List<string> Values { get; } = [];

    /// <summary>Appends a row's value.</summary>
    public void Add(ReadOnlySpan<char> text)
    {
        if (!_lookup.TryGetValue(text, out string? value))
        {
            value = text.ToString();
            if (_pool.Count < MaxPooled)
                _pool[value] = value;
        }
        Values.Add(value);
    }
}
