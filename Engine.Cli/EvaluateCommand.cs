namespace Engine.Cli;

/// <summary><c>mlp evaluate &lt;model&gt; &lt;csv&gt;</c>: metrics of a saved model on labelled data.</summary>
internal static class EvaluateCommand
{
    public static Command Create()
    {
        var modelArg = new Argument<string>("model") { Description = "Model file written by 'mlp train'." };
        var csv = new Argument<string>("csv") { Description = "Labelled data with the model's feature and target columns." };
        var json = new Option<bool>("--json") { Description = "Print one JSON object." };
        var command = new Command("evaluate", "Print a saved model's metrics on a labelled CSV file.") { modelArg, csv, json };
        command.SetAction(parse =>
        {
            var model = TabularModel.Load(parse.GetValue(modelArg)!);
            var data = CsvDataset.Load(parse.GetValue(csv)!, ModelColumns.For(model, withTarget: true));
            var result = model.Evaluate(data);
            if (parse.GetValue(json))
            {
                var o = new System.Text.Json.Nodes.JsonObject
                {
                    ["task"] = model.Task.ToString().ToLowerInvariant(),
                    ["rows"] = data.Features.Rows,
                    ["test"] = TrainingReport.MetricsJson(result),
                };
                Console.WriteLine(o.ToJsonString());
                return CliRunner.Ok;
            }
            var table = new Table().AddColumn("metric").AddColumn(new TableColumn("value").RightAligned());
            table.AddRow("rows", data.Features.Rows.ToString(CultureInfo.InvariantCulture));
            foreach (var (name, value) in TrainingReport.Metrics(result))
                table.AddRow(name, value.ToString("F4", CultureInfo.InvariantCulture));
            AnsiConsole.Write(table);
            return CliRunner.Ok;
        });
        return command;
    }
}

/// <summary>Load options that read a CSV with the columns and labels a saved model expects.</summary>
internal static class ModelColumns
{
    public static CsvLoadOptions For(TabularModel model, bool withTarget) => new()
    {
        Features = [.. model.FeatureNames],
        Target = withTarget ? model.Metadata.TargetName : null,
        Task = model.Task,
        ClassNames = model.ClassNames is null ? null : [.. model.ClassNames],
    };
}
