namespace Engine.Cli;

/// <summary><c>mlp evaluate &lt;model&gt; &lt;csv&gt;</c>: metrics of a saved model on labelled data.</summary>
internal static class EvaluateCommand
{
    public static Command Create()
    {
        var modelArg = new Argument<string>("model") { Description = "Model file written by 'mlp train'." };
        var csv = new Argument<string>("csv") { Description = "Labelled data with the model's feature and target columns (- for standard input)." };
        var json = new Option<bool>("--json") { Description = "Print one JSON object." };
        var plot = new Option<string?>("--plot") { Description = "Draw into this PNG file the confusion matrix as a heat map (classification) or the predictions against the true values (regression)." };
        var command = new Command("evaluate", "Print a saved model's metrics on a labelled CSV file: for classification the per-class report and the confusion matrix, for regression the errors and residual quantiles.") { modelArg, csv, json, plot };
        command.SetAction(parse =>
        {
            string modelPath = parse.GetValue(modelArg)!, csvPath = parse.GetValue(csv)!;
            string? plotPath = parse.GetValue(plot);
            if (plotPath is not null)
                OutputFile.Check("--plot", plotPath, ("the model", modelPath), ("the data", csvPath));
            var model = ModelInput.Load(modelPath);
            using var input = InputFile.Open(csvPath);
            var data = input.Read(path => model.ReadCsv(path, withTarget: true));
            ModelColumns.ReportIgnored(data, model);
            var result = model.Evaluate(data);
            var classification = model.ClassificationReport(data);
            var regression = classification is null ? model.RegressionReport(data) : null;
            if (plotPath is not null)
            {
                string title = $"{Path.GetFileName(data.Source)}: {data.Count} rows";
                Plots.Save(classification is not null
                    ? Plots.ConfusionMatrix(classification, $"{title}, accuracy {classification.Accuracy.ToString("F4", CultureInfo.InvariantCulture)}")
                    : Plots.PredictedVsTrue(model.Predict(data).AsSpan(), data.Targets!.AsSpan(), model.Metadata.TargetName,
                        $"{title}, R² {regression!.R2.ToString("F4", CultureInfo.InvariantCulture)}"), plotPath);
            }
            if (parse.GetValue(json))
            {
                var o = new System.Text.Json.Nodes.JsonObject
                {
                    ["task"] = model.Task.ToString().ToLowerInvariant(),
                    ["rows"] = data.Count,
                    ["test"] = TrainingReport.MetricsJson(result),
                    ["report"] = classification is not null ? EvaluationReport.Json(classification) : EvaluationReport.Json(regression!),
                };
                Console.WriteLine(o.ToJsonString());
                return CliRunner.Ok;
            }
            var table = new Table().AddColumn("metric").AddColumn(new TableColumn("value").RightAligned());
            table.AddRow("rows", data.Count.ToString(CultureInfo.InvariantCulture));
            foreach (var (name, value) in TrainingReport.Metrics(result))
                table.AddRow(name, value.ToString("F4", CultureInfo.InvariantCulture));
            if (classification is not null)
                table.AddRow("log-loss", classification.LogLoss.ToString("F4", CultureInfo.InvariantCulture));
            AnsiConsole.Write(table);
            if (classification is not null)
            {
                AnsiConsole.WriteLine();
                AnsiConsole.Write(new Text(EvaluationReport.Text(classification)));
                AnsiConsole.WriteLine();
                AnsiConsole.Write(EvaluationReport.ConfusionTable(classification));
            }
            else
            {
                AnsiConsole.Write(EvaluationReport.ResidualTable(regression!));
            }
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
