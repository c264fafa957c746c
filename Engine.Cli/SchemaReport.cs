using System.Text.Json.Nodes;

namespace Engine.Cli;

/// <summary>What the reader made of a table's columns: a table for people, a JSON array for scripts.</summary>
internal static class SchemaReport
{
    /// <summary>One row per feature column (kind, missing, distinct, top levels or why), then the target.</summary>
    public static void Print(DataTable data)
    {
        var table = new Table().Title($"[bold]{CliRunner.Safe(Path.GetFileName(data.Source))}[/]: {data.Count} rows, {data.NumericColumns.Count} numeric, {data.CategoricalCount} categorical, {data.Columns.Count - data.NumericColumns.Count - data.CategoricalCount} dropped")
            .AddColumn("column").AddColumn("kind").AddColumn(new TableColumn("missing").RightAligned())
            .AddColumn(new TableColumn("distinct").RightAligned()).AddColumn("levels (rows) / why");
        foreach (var c in data.Columns)
        {
            string detail = c.TopLevels.Count > 0
                ? string.Join(", ", c.TopLevels.Select(l => $"{l.Level} ({l.Count})")) + (c.Distinct > c.TopLevels.Count ? ", …" : "")
                : c.Reason;
            if (c.TopLevels.Count > 0 && c.Reason != "text")
                detail += $" [{c.Reason}]";
            table.AddRow(CliRunner.Safe(c.Name), Kind(c.Kind), c.Missing.ToString(CultureInfo.InvariantCulture),
                c.Distinct.ToString(CultureInfo.InvariantCulture), CliRunner.Safe(detail));
        }
        if (data.TargetName is not null)
        {
            string classes = data.ClassNames is { } names ? $"{names.Count} classes" : "values";
            table.AddRow($"[bold]{CliRunner.Safe(data.TargetName)}[/]", $"[bold]target[/]", data.DroppedTargetRows.ToString(CultureInfo.InvariantCulture), "",
                CliRunner.Safe($"{data.Task.ToString().ToLowerInvariant()}, {classes} ({data.TaskReason})"));
        }
        AnsiConsole.Write(table);
        if (data.IgnoredColumns.Count > 0)
            AnsiConsole.MarkupLine($"[grey]not read: {CliRunner.Safe(string.Join(", ", data.IgnoredColumns))}[/]");
    }

    /// <summary>The same as JSON: [{ "name", "kind", "missing", "distinct", "reason", "top_levels": [{level, count}] }].</summary>
    public static JsonArray Json(DataTable data) =>
    [
        .. data.Columns.Select(c => (JsonNode)new JsonObject
        {
            ["name"] = c.Name,
            ["kind"] = Kind(c.Kind),
            ["missing"] = c.Missing,
            ["distinct"] = c.Distinct,
            ["reason"] = c.Reason,
            ["top_levels"] = new JsonArray([.. c.TopLevels.Select(l => (JsonNode)new JsonObject { ["level"] = l.Level, ["count"] = l.Count })]),
        }),
    ];

    /// <summary>The target as JSON: name, task, why, classes, rows dropped for a missing target.</summary>
    public static JsonObject TargetJson(DataTable data) => new()
    {
        ["name"] = data.TargetName,
        ["task"] = data.Task.ToString().ToLowerInvariant(),
        ["reason"] = data.TaskReason,
        ["classes"] = data.ClassNames is { } names ? new JsonArray([.. names.Select(n => (JsonNode)JsonValue.Create(n)!)]) : null,
        ["dropped_rows"] = data.DroppedTargetRows,
    };

    private static string Kind(ColumnKind kind) => kind.ToString().ToLowerInvariant();
}
