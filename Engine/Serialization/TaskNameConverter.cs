using System.Text.Json;
using System.Text.Json.Serialization;
using Engine.Data;

namespace Engine.Serialization;

/// <summary>
/// Writes a <see cref="TaskKind"/> as "classification" or "regression", the strings every file format version
/// has used, and reads exactly those two (no numbers, no other spelling).
/// </summary>
internal sealed class TaskNameConverter : JsonConverter<TaskKind>
{
    public override TaskKind Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.String ? reader.GetString() switch
        {
            "classification" => TaskKind.Classification,
            "regression" => TaskKind.Regression,
            var other => throw new JsonException($"'{other}' is not a valid task (expected classification or regression)."),
        }
        : throw new JsonException($"the task must be a string, not {reader.TokenType}: not a valid task.");

    public override void Write(Utf8JsonWriter writer, TaskKind value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value switch
        {
            TaskKind.Classification => "classification",
            TaskKind.Regression => "regression",
            _ => throw new JsonException($"unknown task {value}."),
        });
}
