namespace Engine.Data;

/// <summary>
/// A column kept as text, one string per row, null for a missing value. Repeated values share one string: the first
/// 4096 distinct ones are pooled, so a column of class labels or levels costs no allocation per row.
/// </summary>
internal sealed class TextColumn
{
    private const int MaxPooled = 4096;

    private readonly Dictionary<string, string> _pool = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> _lookup;

    public TextColumn() => _lookup = _pool.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>The values, in row order (null: missing).</summary>
    public List<string?> Values { get; } = [];

    /// <summary>Whether any value was written in quotes.</summary>
    public bool Quoted { get; set; }

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

    /// <summary>Appends <paramref name="count"/> missing values.</summary>
    public void AddMissing(int count = 1)
    {
        for (int i = 0; i < count; i++)
            Values.Add(null);
    }
}
