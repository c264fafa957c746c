using System.Text;
using System.Text.Json.Nodes;

namespace Engine.Cli;

/// <summary>
/// What <c>mlp evaluate</c> shows beyond the headline metrics: for classification scikit-learn's classification_report
/// (per-class precision, recall, F1 and support, accuracy, macro and weighted averages), the log-loss and the confusion
/// matrix; for regression MAE, RMSE, R² and the residual quantiles. As text for people and as JSON for scripts.
/// </summary>
internal static class EvaluationReport
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>
    /// The report in the layout of scikit-learn's <c>classification_report(digits=4)</c>: a right-aligned name column as
    /// wide as the longest class name (at least "weighted avg"), then four columns of width 9.
    /// </summary>
    public static string Text(ClassificationReport r, int digits = 4)
    {
        var names = r.PerClass.Select(m => CliRunner.Escape(m.Name)).ToList();
        int width = Math.Max(names.Max(n => n.Length), Math.Max("weighted avg".Length, digits));
        var sb = new StringBuilder();
        sb.Append(' ', width + 1).Append(Inv, $" {"precision",9} {"recall",9} {"f1-score",9} {"support",9}").Append("\n\n");
        for (int c = 0; c < names.Count; c++)
            Row(names[c], r.PerClass[c]);
        sb.Append('\n');
        sb.Append("accuracy".PadLeft(width)).Append(' ').Append(Inv, $" {"",9} {"",9} {F(r.Accuracy),9} {r.PerClass.Sum(m => m.Support),9}\n");
        Row("macro avg", r.MacroAverage);
        Row("weighted avg", r.WeightedAverage);
        return sb.ToString();

        void Row(string name, ClassMetrics m) =>
            sb.Append(name.PadLeft(width)).Append(' ').Append(Inv, $" {F(m.Precision),9} {F(m.Recall),9} {F(m.F1),9} {m.Support,9}\n");

        string F(double v) => v.ToString("F" + digits.ToString(Inv), Inv);
    }

    /// <summary>The confusion matrix as a table: a row per true class, a column per predicted class.</summary>
    public static Table ConfusionTable(ClassificationReport r)
    {
        var table = new Table().Title("confusion matrix").AddColumn("true \\ predicted");
        foreach (string c in r.Classes)
            table.AddColumn(new TableColumn(CliRunner.Safe(c)).RightAligned());
        for (int t = 0; t < r.Classes.Count; t++)
            table.AddRow([CliRunner.Safe(r.Classes[t]), .. r.Confusion[t].Select((n, p) => p == t ? $"[bold]{n}[/]" : n.ToString(Inv))]);
        return table;
    }

    /// <summary>Residual quantiles (true − predicted) as a table.</summary>
    public static Table ResidualTable(RegressionReport r)
    {
        var table = new Table().AddColumn(new TableColumn("quantile").RightAligned()).AddColumn(new TableColumn("residual (true − predicted)").RightAligned());
        foreach (var (q, residual) in r.ResidualQuantiles)
            table.AddRow(Quantile(q), residual.ToString("G6", Inv));
        return table;
    }

    private static string Quantile(double q) => q switch { 0 => "min", 1 => "max", 0.5 => "median", _ => $"{q * 100:0.#}%" };

    /// <summary>
    /// { accuracy, log_loss, classes, per_class: [{ class, precision, recall, f1, support }], macro_avg, weighted_avg,
    /// confusion (rows: true class, columns: predicted, in the order of classes) }.
    /// </summary>
    public static JsonObject Json(ClassificationReport r) => new()
    {
        ["accuracy"] = TrainingReport.Number(r.Accuracy, 6),
        ["log_loss"] = TrainingReport.Number(r.LogLoss, 6),
        ["classes"] = new JsonArray([.. r.Classes.Select(c => (JsonNode)JsonValue.Create(c)!)]),
        ["per_class"] = new JsonArray([.. r.PerClass.Select(m => (JsonNode)ClassJson(m, "class"))]),
        ["macro_avg"] = ClassJson(r.MacroAverage, null),
        ["weighted_avg"] = ClassJson(r.WeightedAverage, null),
        ["confusion"] = new JsonArray([.. r.Confusion.Select(row => (JsonNode)new JsonArray([.. row.Select(n => (JsonNode)JsonValue.Create(n))]))]),
    };

    /// <summary>{ mae, rmse, r2, residual_quantiles: [{ quantile, residual }] } (residual = true − predicted).</summary>
    public static JsonObject Json(RegressionReport r) => new()
    {
        ["mae"] = TrainingReport.Number(r.Mae, 6),
        ["rmse"] = TrainingReport.Number(r.Rmse, 6),
        ["r2"] = TrainingReport.Number(r.R2, 6),
        ["residual_quantiles"] = new JsonArray([.. r.ResidualQuantiles.Select(x => (JsonNode)new JsonObject
        {
            ["quantile"] = x.Quantile,
            ["residual"] = TrainingReport.Number(x.Residual, 6),
        })]),
    };

    private static JsonObject ClassJson(ClassMetrics m, string? nameKey)
    {
        var o = new JsonObject();
        if (nameKey is not null)
            o[nameKey] = m.Name;
        o["precision"] = TrainingReport.Number(m.Precision, 6);
        o["recall"] = TrainingReport.Number(m.Recall, 6);
        o["f1"] = TrainingReport.Number(m.F1, 6);
        o["support"] = m.Support;
        return o;
    }
}
