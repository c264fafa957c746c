namespace Engine.Cli;

/// <summary><c>mlp evaluate &lt;model&gt; &lt;csv&gt;</c>: metrics of a saved model on labelled data.</summary>
internal static class EvaluateCommand
{
    public static Command Create()
    {
        var modelArg = new Argument<string>("model") { Description = "Model file written by 'mlp train'." };
        var csv = new Argument<string>("csv") { Description = "Labelled data with the model's feature and target columns (- for standard input)." };
        var json = new Option<bool>("--json") { Description = "Print one JSON object." };
        var command = new Command("evaluate", "Print a saved model's metrics on a labelled CSV file.") { modelArg, csv, json };
        command.SetAction(parse =>
        {
            var model = ModelInput.Load(parse.GetValue(modelArg)!);
            using var input = InputFile.Open(parse.GetValue(csv)!);
            var data = input.Read(path => model.ReadCsv(path, withTarget: true));
            ModelColumns.ReportIgnored(data, model);
            var result = model.Evaluate(data);
            if (parse.GetValue(json))
            {
                var o = new System.Text.Json.Nodes.JsonObject
                {
                    ["task"] = model.Task.ToString().ToLowerInvariant(),
                    ["rows"] = data.Count,
                    ["test"] = TrainingReport.MetricsJson(result),
                };
                Console.WriteLine(o.ToJsonString());
                return CliRunner.Ok;
            }
            var table = new Table().AddColumn("metric").AddColumn(new TableColumn("value").RightAligned());
            table.AddRow("rows", data.Count.ToString(CultureInfo.InvariantCulture));
            foreach (var (name, value) in TrainingReport.Metrics(result))
                table.AddRow(name, value.ToString("F4", CultureInfo.InvariantCulture));
            AnsiConsole.Write(table);
            return CliRunner.Ok;
        });
        return command;
    }
}

/// <summary>What a saved model's reading of a CSV file left out, said once on stderr.</summary>
internal static class ModelColumns
{
    /// <summary>"mlp: ignored columns the model does not read: a, b" and "mlp: 3 rows without a target were skipped".</summary>
    public static void ReportIgnored(DataTable data, TabularModel model)
    {
        var extra = data.IgnoredColumns.Where(c => c != model.Metadata.TargetName).ToList();
        if (extra.Count > 0)
            Console.Error.WriteLine(CliRunner.Escape($"mlp: ignored columns the model does not read: {string.Join(", ", extra)}"));
        if (data.DroppedTargetRows > 0)
            Console.Error.WriteLine(CliRunner.Escape($"mlp: {data.DroppedTargetRows} rows without a value in the target '{model.Metadata.TargetName}' were skipped"));
    }
}
