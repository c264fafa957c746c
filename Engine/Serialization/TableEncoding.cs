using System.Text.Json.Serialization;
using Engine.Data;

namespace Engine.Serialization;

/// <summary>
/// How a model turns one raw feature column into network inputs, fitted on the training rows and saved with the
/// model. Numeric: a missing value becomes <see cref="Median"/>, and, when the column had missing values in
/// training, an indicator input says so. Categorical: one input per level of <see cref="Levels"/> (the levels kept
/// in training), then an "other" input (levels rarer than the minimum count, and levels never seen in training) and
/// a "missing" input (one-hot).
/// </summary>
/// <param name="Name">The column's name in the CSV header.</param>
/// <param name="Kind">Numeric or categorical.</param>
/// <param name="Median">Numeric: the training median, imputed for a missing value.</param>
/// <param name="Indicator">Numeric: whether the model has a 0/1 input "this value was missing".</param>
/// <param name="Levels">Categorical: the levels with an input of their own, in input order.</param>
public sealed record ColumnEncoding(
    string Name,
    [property: JsonConverter(typeof(JsonStringEnumConverter<ColumnKind>))] ColumnKind Kind,
    float Median = 0,
    bool Indicator = false,
    string[]? Levels = null)
{
    /// <summary>The one-hot inputs of a categorical column: its levels, then "other", then "missing".</summary>
    [JsonIgnore]
    public int Slots => (Levels?.Length ?? 0) + 2;
}

/// <summary>
/// The input layout of a model trained on a table: the numeric columns (imputed and scaled), then one missing
/// indicator per numeric column that has one, then each categorical column's one-hot block
/// (<see cref="ColumnEncoding.Slots"/> inputs). The network's first layer takes <see cref="Width"/> inputs.
/// </summary>
/// <param name="Columns">Every feature column the model reads, numeric ones first, each in the order of its inputs.</param>
/// <param name="MinLevelCount">Levels seen on fewer training rows than this share the "other" input.</param>
public sealed record TableEncoding(ColumnEncoding[] Columns, int MinLevelCount)
{
    /// <summary>The numeric columns, in input order.</summary>
    [JsonIgnore]
    public IEnumerable<ColumnEncoding> Numeric => Columns.Where(c => c.Kind == ColumnKind.Numeric);

    /// <summary>The categorical columns, in input order.</summary>
    [JsonIgnore]
    public IEnumerable<ColumnEncoding> Categorical => Columns.Where(c => c.Kind == ColumnKind.Categorical);

    /// <summary>Numeric inputs: one per numeric column plus one per missing indicator.</summary>
    [JsonIgnore]
    public int NumericWidth => Numeric.Count() + Numeric.Count(c => c.Indicator);

    /// <summary>All inputs, one-hot blocks included.</summary>
    [JsonIgnore]
    public int Width => NumericWidth + Categorical.Sum(c => c.Slots);

    /// <summary>
    /// The encoding of a model saved before tables had text columns: every feature numeric, no indicators (a
    /// missing value is imputed with <paramref name="fill"/>, e.g. the scaler's offset, so it scales to 0).
    /// </summary>
    public static TableEncoding AllNumeric(IReadOnlyList<string> featureNames, IReadOnlyList<float>? fill = null)
    {
        ArgumentNullException.ThrowIfNull(featureNames);
        bool filled = fill is not null && fill.Count == featureNames.Count;
        return new([.. featureNames.Select((name, j) => new ColumnEncoding(name, ColumnKind.Numeric, filled ? fill![j] : 0))], MinLevelCount: 1);
    }
}
