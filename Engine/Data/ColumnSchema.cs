namespace Engine.Data;

/// <summary>What a feature column of a <see cref="DataTable"/> holds.</summary>
public enum ColumnKind
{
    /// <summary>Numbers: a column of <see cref="DataTable.Numeric"/> (NaN = missing).</summary>
    Numeric,
    /// <summary>Levels (text, or quoted codes): a column of <see cref="DataTable.Codes"/> (−1 = missing).</summary>
    Categorical,
    /// <summary>Not used as a feature (constant, or identifier-like text); see <see cref="ColumnSchema.Reason"/>.</summary>
    Dropped,
}

/// <summary>A categorical level and how many rows hold it.</summary>
/// <param name="Level">The level as written in the file (without quotes).</param>
/// <param name="Count">The number of rows holding it.</param>
public readonly record struct LevelCount(string Level, int Count);

/// <summary>What the reader saw in one feature column and what it decided.</summary>
/// <param name="Name">The column's name in the header.</param>
/// <param name="Kind">Numeric, categorical or dropped.</param>
/// <param name="Missing">How many rows hold a missing-value marker in this column.</param>
/// <param name="Distinct">How many distinct non-missing values the column holds.</param>
/// <param name="TopLevels">Categorical: up to <see cref="DataTable.TopLevelCount"/> most frequent levels with their counts,
/// most frequent first; other kinds: empty.</param>
/// <param name="Reason">Why this kind, in plain words: "numbers", "text", "quoted codes", "constant",
/// "identifier-like: 998 distinct of 1000 rows", "forced by Categorical", …</param>
public sealed record ColumnSchema(string Name, ColumnKind Kind, int Missing, int Distinct, IReadOnlyList<LevelCount> TopLevels, string Reason);
