using System.Text.Json.Serialization;
using Engine.Data;

namespace Engine.Serialization;

/// <summary>Everything besides the weights that predicting on raw CSV rows needs.</summary>
/// <param name="Task">Classification or regression (written "classification" / "regression").</param>
/// <param name="FeatureNames">The raw columns the model reads: in <see cref="Encoding"/>'s order when there is one.</param>
/// <param name="TargetName">The target column.</param>
/// <param name="ClassNames">Class labels by index (classification).</param>
/// <param name="FeatureScaler">Scaling of the numeric columns (after imputation).</param>
/// <param name="TargetScaler">Target standardization (regression): predictions are mapped back through it.</param>
public sealed record ModelMetadata(
    [property: JsonRequired, JsonConverter(typeof(TaskNameConverter))] TaskKind Task,
    string[] FeatureNames,
    string TargetName,
    string[]? ClassNames = null,
    ScalerState? FeatureScaler = null,
    ScalerState? TargetScaler = null)
{
    /// <summary>
    /// How the raw columns become inputs (imputation, indicators, one-hot levels); null in files written before
    /// tables had text columns, which read <see cref="FeatureNames"/> as numbers in that order.
    /// </summary>
    public TableEncoding? Encoding { get; init; }

    /// <summary>What training saw in every feature column (kinds, missing counts, levels, reasons), dropped ones included; null in older files.</summary>
    public ColumnSchema[]? Schema { get; init; }

    /// <summary>The encoding to apply: <see cref="Encoding"/>, or for older files every feature numeric.</summary>
    [JsonIgnore]
    public TableEncoding EffectiveEncoding => Encoding ?? TableEncoding.AllNumeric(FeatureNames, FeatureScaler?.Offset);

    /// <summary>Free-form facts about how the model was trained (command, seed, epochs).</summary>
    public Dictionary<string, string> Training { get; init; } = [];
}
