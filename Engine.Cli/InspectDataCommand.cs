namespace Engine.Cli;

/// <summary>
/// <c>mlp inspect-data &lt;csv&gt;</c>: what <c>mlp train</c> would make of a table — each column's kind (numeric,
/// categorical, dropped) and why, missing values, distinct values and top levels, and the target's task — without
/// training anything.
/// </summary>
internal static class InspectDataCommand
{
    public static Command Create()
    {
        var csv = new Argument<string>("csv") { Description = "A CSV file with a header row (.csv or .csv.gz)." };
        var target = new Option<string?>("--target") { Description = "Target column name (default: the last column)." };
        var categorical = new Option<string?>("--categorical") { Description = "Comma-separated columns to read as categories." };
        var numeric = new Option<string?>("--numeric") { Description = "Comma-separated columns to read as numbers." };
        var drop = new Option<string?>("--drop") { Description = "Comma-separated columns to ignore." };
        var naValues = new Option<string?>("--na-values") { Description = "Comma-separated missing-value markers, replacing the default list." };
        var json = new Option<bool>("--json") { Description = "Print one JSON object: { rows, target, schema }." };
        var command = new Command("inspect-data", "Show the column kinds, missing values and levels mlp train would use, without training.")
        {
            csv, target, categorical, numeric, drop, naValues, json,
        };
        command.SetAction(parse =>
        {
            var data = DataTable.ReadCsv(parse.GetValue(csv)!, new TableOptions
            {
                Target = parse.GetValue(target),
                Categorical = Names.SplitList(parse.GetValue(categorical)),
                Numeric = Names.SplitList(parse.GetValue(numeric)),
                Drop = Names.SplitList(parse.GetValue(drop)),
                NaValues = parse.GetValue(naValues) is string na ? na.Split(',') : null,
            });
            if (parse.GetValue(json))
            {
                var o = new System.Text.Json.Nodes.JsonObject
                {
                    ["rows"] = data.Count,
                    ["target"] = SchemaReport.TargetJson(data),
                    ["schema"] = SchemaReport.Json(data),
                    ["ignored"] = new System.Text.Json.Nodes.JsonArray([.. data.IgnoredColumns.Select(c => (System.Text.Json.Nodes.JsonNode)System.Text.Json.Nodes.JsonValue.Create(c)!)]),
                };
                Console.WriteLine(o.ToJsonString());
            }
            else
            {
                if (data.DroppedTargetRows > 0)
                    Console.Error.WriteLine($"mlp: {data.DroppedTargetRows} rows without a value in the target '{data.TargetName}' would be skipped");
                SchemaReport.Print(data);
            }
            return CliRunner.Ok;
        });
        return command;
    }
}
