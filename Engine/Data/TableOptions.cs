namespace Engine.Data;

/// <summary>
/// How <see cref="DataTable.ReadCsv(string, TableOptions?)"/> reads a table: which column is the target and what it asks for, which columns
/// are features, which fields mean "missing", and overrides of the inferred column kinds. Every column name given
/// must be in the file's header (else a <see cref="DataFormatException"/> names it).
/// </summary>
public sealed record TableOptions
{
    /// <summary>The missing-value markers used when <see cref="NaValues"/> is null, as pandas' default list has them.</summary>
    public static IReadOnlyList<string> DefaultNaValues { get; } = ["", "NA", "N/A", "NaN", "nan", "null", "None", "?"];

    /// <summary>Target column name; null means <see cref="TargetIndex"/>, else the last column (or none, with <see cref="TargetOptional"/>).</summary>
    public string? Target { get; init; }

    /// <summary>0-based target column, used when <see cref="Target"/> is null.</summary>
    public int? TargetIndex { get; init; }

    /// <summary>
    /// With true, the file may lack the target column (prediction files): when <see cref="Target"/> names a column the
    /// header does not have, or when neither <see cref="Target"/> nor <see cref="TargetIndex"/> is given, no target is read
    /// and <see cref="DataTable.Targets"/> is null.
    /// </summary>
    public bool TargetOptional { get; init; }

    /// <summary>Feature columns by name, in the order the table keeps them; null means every column but the target, in file order.</summary>
    public IReadOnlyList<string>? Features { get; init; }

    /// <summary>
    /// Classification or regression; null detects it (see <see cref="DataTable.TaskReason"/>): classification for text
    /// labels, quoted codes, or at most <see cref="CsvDataset.MaxAutoClasses"/> distinct whole numbers; else regression.
    /// </summary>
    public TaskKind? Task { get; init; }

    /// <summary>The class labels by index (e.g. from a trained model); a label outside them is an error.</summary>
    public IReadOnlyList<string>? ClassNames { get; init; }

    /// <summary>
    /// The fields that mean "missing", compared exactly (case-sensitive, not trimmed); null means
    /// <see cref="DefaultNaValues"/>. A list given here replaces the default one (include "" to keep empty fields missing).
    /// </summary>
    public IReadOnlyList<string>? NaValues { get; init; }

    /// <summary>Columns read as categorical whatever they hold (e.g. zip or area codes written as numbers).</summary>
    public IReadOnlyList<string>? Categorical { get; init; }

    /// <summary>Columns read as numeric whatever was inferred; a value that is neither a number nor missing is then an error.</summary>
    public IReadOnlyList<string>? Numeric { get; init; }

    /// <summary>Columns not read at all (listed in <see cref="DataTable.IgnoredColumns"/>).</summary>
    public IReadOnlyList<string>? Drop { get; init; }
}
