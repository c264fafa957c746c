namespace Engine.Data;

/// <summary>The fields that mean "missing" (<see cref="TableOptions.NaValues"/>), matched exactly against spans of the record.</summary>
internal sealed class MissingMarkers
{
    private readonly HashSet<string> _markers;
    private readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> _lookup;

    public MissingMarkers(IReadOnlyList<string>? markers)
    {
        _markers = new HashSet<string>(markers ?? TableOptions.DefaultNaValues, StringComparer.Ordinal);
        _lookup = _markers.GetAlternateLookup<ReadOnlySpan<char>>();
        LookNumeric = _markers.Any(m => double.TryParse(m, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) && double.IsFinite(v));
    }

    /// <summary>Whether a marker is a number (e.g. -999): then every field is looked up, not only those that are not numbers.</summary>
    public bool LookNumeric { get; }

    /// <summary>Whether the field is a missing-value marker.</summary>
    public bool IsMissing(ReadOnlySpan<char> field) => _lookup.Contains(field);
}
