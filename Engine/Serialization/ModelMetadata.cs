using System.Text.Json.Serialization;
using Engine.Data;

namespace Engine.Serialization;

/// <summary>Everything besides the weights that predicting on raw CSV rows needs.</summary>
/// <param name="Task">Classification or regression (written "classification" / "regression").</param>
/// <param name="FeatureNames">Input columns, in order.</param>
/// <param name="TargetName">The target column.</param>
/// <param name="ClassNames">Class labels by index (classification).</param>
/// <param name="FeatureScaler">Input preprocessing.</param>
/// <param name="TargetScaler">Target standardization (regression): predictions are mapped back through it.</param>
public sealed record ModelMetadata(
    [property: JsonRequired, JsonConverter(typeof(TaskNameConverter))] TaskKind Task,
    string[] FeatureNames,
    string TargetName,
    string[]? ClassNames = null,
    ScalerState? FeatureScaler = null,
    ScalerState? TargetScaler = null)
{
    /// <summary>Free-form facts about how the model was trained (command, seed, epochs).</summary>
    public Dictionary<string, string> Training { get; init; } = [];
}
