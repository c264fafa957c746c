using System.Text.Json;
using System.Text.Json.Nodes;

namespace Engine.Cli;

/// <summary>
/// Shows training as it runs (a live progress bar on a terminal, unless <paramref name="quiet"/>) and the results at the
/// end (a table or JSON).
/// </summary>
internal sealed class TrainingReport(bool json, bool quiet = false)
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = false };

    /// <summary>Runs <paramref name="train"/>, showing a progress bar when stdout is an interactive terminal.</summary>
    public FitResult Run(FitOptions options, Func<Action<EpochResult>, FitResult> train)
    {
        bool live = !json && !quiet && !Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Interactive;
        if (!live)
            return train(_ => { });
        FitResult? result = null;
        AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .Start(context =>
            {
                var task = context.AddTask("training", maxValue: options.Epochs);
                result = train(epoch =>
                {
                    task.Description = Describe(epoch);
                    task.Value = epoch.Epoch;
                });
                task.StopTask();
            });
        return result!;
    }

    /// <summary>Before training: the column kinds as a table (the JSON result carries them instead); a skipped-rows note on stderr.</summary>
    public void PrintSchema(DataTable data)
    {
        if (data.DroppedTargetRows > 0)
            Console.Error.WriteLine(CliRunner.Escape($"mlp: {data.DroppedTargetRows} rows without a value in the target '{data.TargetName}' were skipped"));
        if (!json)
            SchemaReport.Print(data);
    }

    public void PrintResult(FitResult result, DataTable data, string? modelPath, double loadSeconds)
    {
        if (json)
        {
            var o = ToJson(result, modelPath, loadSeconds);
            o["target"] = SchemaReport.TargetJson(data);
            o["schema"] = SchemaReport.Json(data);
            if (result.LsuvVariances is { } lsuvJson)
                o["lsuv_variances"] = new JsonArray([.. lsuvJson.Select(v => (JsonNode?)Math.Round(v, 6))]);
            Console.WriteLine(o.ToJsonString(Indented));
            return;
        }
        var history = result.History;
        var table = new Table().Title($"[bold]{CliRunner.Safe(Path.GetFileName(data.Source))}[/]: {result.Model.Task.ToString().ToLowerInvariant()}")
            .AddColumn("metric").AddColumn(new TableColumn("value").RightAligned());
        table.AddRow("rows (train / validation / test)", $"{result.TrainRows} / {result.ValidationRows} / {result.TestRows}");
        table.AddRow("model", CliRunner.Safe(Architecture(result.Model.Network)));
        table.AddRow("parameters", result.Model.Network.ParameterCount.ToString("N0", CultureInfo.InvariantCulture));
        if (result.LsuvVariances is { } lsuv)
            table.AddRow("LSUV variance per dense layer (calibration rows, before training)", string.Join(" ", lsuv.Select(v => v.ToString("F3", CultureInfo.InvariantCulture))));
        table.AddRow("epochs run", $"{history.Epochs.Count} ({history.StopReason.ToString().ToLowerInvariant()})");
        if (history.Epochs.Count > 0)
            table.AddRow("final training loss", F(history.Epochs[^1].TrainLoss));
        if (history.Epochs.Count > 0 && history.Epochs[^1].TrainAccuracy is double trainAccuracy)
            table.AddRow("final training accuracy", F(trainAccuracy));
        foreach (var (name, value) in Metrics(result.Test))
            table.AddRow($"[bold]test {name}[/]", $"[bold]{F(value)}[/]");
        table.AddRow("load time", $"{loadSeconds:F2} s");
        table.AddRow("training time", $"{history.Seconds:F2} s ({history.Seconds / Math.Max(1, history.Epochs.Count):F3} s/epoch)");
        table.AddRow("saved to", modelPath is null ? "not saved" : CliRunner.Safe(modelPath));
        AnsiConsole.Write(table);
        if (history.StopReason == StopReason.EarlyStopped && history.Message is not null)
            AnsiConsole.MarkupLine($"[grey]{CliRunner.Safe(history.Message)}[/]");
    }

    public static IEnumerable<(string Name, double Value)> Metrics(Evaluation e)
    {
        if (e.Accuracy is double acc)
            yield return ("accuracy", acc);
        yield return ("loss", e.Loss);
        if (e.Rmse is double rmse)
            yield return ("rmse", rmse);
        if (e.Mae is double mae)
            yield return ("mae", mae);
        if (e.R2 is double r2)
            yield return ("r2", r2);
    }

    /// <summary>The metrics as JSON; a NaN or infinite value (a diverged model) is written as null, which JSON can hold.</summary>
    public static JsonObject MetricsJson(Evaluation e)
    {
        var o = new JsonObject();
        foreach (var (name, value) in Metrics(e))
            o[name] = Number(value, 6);
        return o;
    }

    /// <summary>A finite number rounded to <paramref name="digits"/>, or null for NaN and ±∞.</summary>
    public static JsonNode? Number(double value, int digits) => double.IsFinite(value) ? JsonValue.Create(Math.Round(value, digits)) : null;

    private static JsonObject ToJson(FitResult result, string? modelPath, double loadSeconds) => new()
    {
        ["task"] = result.Model.Task.ToString().ToLowerInvariant(),
        ["test"] = MetricsJson(result.Test),
        ["epochs"] = result.History.Epochs.Count,
        ["stop_reason"] = result.History.StopReason.ToString().ToLowerInvariant(),
        ["train_rows"] = result.TrainRows,
        ["test_rows"] = result.TestRows,
        ["load_seconds"] = Number(loadSeconds, 4),
        ["train_seconds"] = Number(result.History.Seconds, 4),
        ["seconds_per_epoch"] = Number(result.History.Seconds / Math.Max(1, result.History.Epochs.Count), 4),
        ["epoch_seconds"] = new JsonArray([.. result.History.Epochs.Select(e => Number(e.Seconds, 4))]),
        ["model"] = modelPath,
        ["history"] = new JsonArray([.. result.History.Epochs.Select(e => (JsonNode)EpochJson(e))]),
    };

    /// <summary>One epoch: { epoch, train_loss, train_accuracy (classification), validation (metrics or null), learning_rate, seconds }.</summary>
    internal static JsonObject EpochJson(EpochResult e) => new()
    {
        ["epoch"] = e.Epoch,
        ["train_loss"] = Number(e.TrainLoss, 6),
        ["train_accuracy"] = e.TrainAccuracy is double a ? Number(a, 6) : null,
        ["validation"] = e.Validation is { } v ? MetricsJson(v) : null,
        ["learning_rate"] = Number(e.LearningRate, 8),
        ["seconds"] = Number(e.Seconds, 4),
    };

    /// <summary>"4 → 64 → 64 → 3, ReLU" (the first width is the input width, one-hot inputs counted).</summary>
    internal static string Architecture(Engine.Layers.Sequential<float> network)
    {
        var dense = network.Layers.Select(l => l.Spec).Where(spec => spec.Type == "Dense").ToList();
        var widths = dense.Select(d => d.In!.Value).Append(dense[^1].Out!.Value);
        var activations = network.Layers.Where(l => l is Engine.Layers.IActivationLayer).Select(l => l.ToString()).Distinct();
        return $"{string.Join(" → ", widths)}, {string.Join("/", activations.DefaultIfEmpty("linear"))}";
    }

    private static string Describe(EpochResult e)
    {
        string text = $"epoch {e.Epoch} loss {e.TrainLoss:F4}";
        if (e.TrainAccuracy is double trainAccuracy)
            text += $" acc {trainAccuracy:F3}";
        if (e.Validation?.Accuracy is double acc)
            text += $" val acc {acc:F3}";
        else if (e.Validation is not null)
            text += $" val loss {e.Validation.Loss:F4}";
        return text;
    }

    private static string F(double value) => value.ToString("F4", CultureInfo.InvariantCulture);
}
