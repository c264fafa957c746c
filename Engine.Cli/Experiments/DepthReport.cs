using System.Text;
using ScottPlot;

namespace Engine.Cli.Experiments;

/// <summary>Writes the depth experiment's CSV files, Markdown summary and PNG plots.</summary>
internal static class DepthReport
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static void Write(IReadOnlyList<DepthRun> runs, string folder, double totalSeconds)
    {
        Directory.CreateDirectory(folder);
        WriteText(Path.Combine(folder, "activation_std.csv"), ActivationCsv(runs));
        WriteText(Path.Combine(folder, "history.csv"), HistoryCsv(runs));
        WriteText(Path.Combine(folder, "summary.md"), Summary(runs, totalSeconds));
        int deepest = runs.Max(r => r.Depth);
        var deep = runs.Where(r => r.Depth == deepest).ToList();
        StdPlot(deep, deepest).SavePng(Path.Combine(folder, "activation_std.png"), 900, 560);
        AccuracyPlot(deep, deepest).SavePng(Path.Combine(folder, "accuracy.png"), 900, 560);
    }

    private static string ActivationCsv(IEnumerable<DepthRun> runs)
    {
        var sb = new StringBuilder("config,depth,layer,activation_std\n");
        foreach (var r in runs)
        {
            for (int i = 0; i < r.ActivationStd.Length; i++)
                sb.Append(Inv, $"{Csv(r.Config.Name)},{r.Depth},{i + 1},{r.ActivationStd[i]:R}\n");
        }
        return sb.ToString();
    }

    private static string HistoryCsv(IEnumerable<DepthRun> runs)
    {
        var sb = new StringBuilder("config,depth,epoch,train_loss,test_loss,test_accuracy,dead_units_mean,dead_units_max,seconds\n");
        foreach (var r in runs)
        {
            foreach (var e in r.Epochs)
            {
                var dead = e.DeadFractions ?? [];
                string mean = dead.Count == 0 ? "" : dead.Average().ToString("F4", Inv), max = dead.Count == 0 ? "" : dead.Max().ToString("F4", Inv);
                sb.Append(Inv, $"{Csv(r.Config.Name)},{r.Depth},{e.Epoch},{e.TrainLoss:R},{e.Validation?.Loss:R},{e.Validation?.Accuracy:R},{mean},{max},{e.Seconds:F3}\n");
            }
        }
        return sb.ToString();
    }

    public static string Summary(IReadOnlyList<DepthRun> runs, double totalSeconds)
    {
        var sb = new StringBuilder();
        sb.Append("| depth | initialization | act. std layer 1 | act. std last layer | last / first | test accuracy after ")
          .Append(Inv, $"{runs.Max(r => r.Epochs.Count)} epochs | final train loss |\n");
        sb.Append("| ---: | --- | ---: | ---: | ---: | ---: | ---: |\n");
        foreach (var r in runs)
        {
            double first = r.ActivationStd[0], last = r.ActivationStd[^1];
            string loss = r.Epochs.Count == 0 ? "—" : r.Epochs[^1].TrainLoss.ToString("F4", Inv);
            sb.Append(Inv, $"| {r.Depth} | {r.Config.Name} | {first:G3} | {last:G3} | {last / first:G3} | {r.FinalAccuracy:F4} | {loss} |\n");
        }
        var lsuv = runs.Where(r => r.LsuvVariance.Length > 0).ToList();
        if (lsuv.Count > 0)
        {
            sb.Append("\nLSUV: output variance of every dense layer on the calibration batch after rescaling\n\n");
            foreach (var r in lsuv)
                sb.Append(Inv, $"- depth {r.Depth}: min {r.LsuvVariance.Min():F4}, max {r.LsuvVariance.Max():F4} over {r.LsuvVariance.Length} layers\n");
        }
        sb.Append(Inv, $"\nTotal run time {totalSeconds:F0} s.\n");
        return sb.ToString();
    }

    private static Plot StdPlot(List<DepthRun> runs, int depth)
    {
        var plot = new Plot();
        foreach (var r in runs)
        {
            double[] xs = [.. Enumerable.Range(1, r.ActivationStd.Length).Select(i => (double)i)];
            double[] ys = [.. r.ActivationStd.Select(s => Math.Log10(Math.Max(s, 1e-30)))];
            plot.Add.Scatter(xs, ys).LegendText = r.Config.Name;
        }
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic
        {
            MinorTickGenerator = new ScottPlot.TickGenerators.LogMinorTickGenerator(),
            IntegerTicksOnly = true,
            LabelFormatter = y => $"1e{y:N0}",
        };
        plot.Title($"Activation std per layer at initialization (depth {depth}, width 256, Fashion-MNIST batch)");
        plot.XLabel("hidden layer");
        plot.YLabel("std of activations (log scale)");
        plot.ShowLegend(Alignment.LowerLeft);
        return plot;
    }

    private static Plot AccuracyPlot(List<DepthRun> runs, int depth)
    {
        var plot = new Plot();
        foreach (var r in runs)
        {
            double[] xs = [0, .. r.Epochs.Select(e => (double)e.Epoch)];
            double[] ys = [0.1, .. r.Epochs.Select(e => e.Validation?.Accuracy ?? double.NaN)];
            plot.Add.Scatter(xs, ys).LegendText = r.Config.Name;
        }
        plot.Axes.SetLimitsY(0, 1);
        plot.Title($"Test accuracy per epoch (depth {depth}, SGD momentum 0.9, lr 0.01, batch 128)");
        plot.XLabel("epoch (0 = chance)");
        plot.YLabel("test accuracy");
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };
        plot.ShowLegend(Alignment.MiddleRight);
        return plot;
    }

    // RFC 4180: a field with a comma or quote is quoted, quotes doubled ("relu/uniform(-0.05,0.05)").
    private static string Csv(string field) =>
        field.Contains(',', StringComparison.Ordinal) || field.Contains('"', StringComparison.Ordinal) ? $"\"{field.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : field;

    private static void WriteText(string path, string text) =>
        AtomicFile.Write(path, s => s.Write(Encoding.UTF8.GetBytes(text)));
}
