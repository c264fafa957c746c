using System.Text;
using ScottPlot;

namespace Engine.Cli.Experiments;

/// <summary>Writes the depth experiment's CSV files, Markdown summary and PNG plots, every figure with its spread over seeds.</summary>
internal static class DepthReport
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static readonly string[] Files = ["summary.md", "activation_std.csv", "history.csv", "finite_width.csv", "activation_std.png", "accuracy.png", "finite_width.png"];

    public static void Write(DepthResults results, string folder, double totalSeconds)
    {
        Directory.CreateDirectory(folder);
        var runs = results.Runs;
        WriteText(Path.Combine(folder, "activation_std.csv"), ActivationCsv(runs));
        WriteText(Path.Combine(folder, "history.csv"), HistoryCsv(runs));
        WriteText(Path.Combine(folder, "finite_width.csv"), WidthCsv(results.Width));
        WriteText(Path.Combine(folder, "summary.md"), Summary(results, totalSeconds));
        int deepest = runs.Max(r => r.Depth);
        var deep = runs.Where(r => r.Depth == deepest).ToList();
        Plots.Save(StdPlot(deep, deepest, results.Options), Path.Combine(folder, "activation_std.png"));
        Plots.Save(AccuracyPlot(deep, deepest, results.Options, results.Classes), Path.Combine(folder, "accuracy.png"));
        if (results.Width.Count > 0)
            Plots.Save(WidthPlot(results.Width), Path.Combine(folder, "finite_width.png"));
    }

    private static string ActivationCsv(IEnumerable<DepthRun> runs)
    {
        var sb = new StringBuilder("config,depth,seed,layer,activation_std\n");
        foreach (var r in runs)
        {
            for (int i = 0; i < r.ActivationStd.Length; i++)
                sb.Append(Inv, $"{Csv(r.Config.Name)},{r.Depth},{r.Seed},{i + 1},{r.ActivationStd[i]:R}\n");
        }
        return sb.ToString();
    }

    private static string HistoryCsv(IEnumerable<DepthRun> runs)
    {
        var sb = new StringBuilder("config,depth,seed,epoch,train_loss,test_loss,test_accuracy,dead_units_mean,dead_units_max,seconds\n");
        foreach (var r in runs)
        {
            foreach (var e in r.Epochs)
            {
                var dead = e.DeadFractions ?? [];
                string mean = dead.Count == 0 ? "" : dead.Average().ToString("F4", Inv), max = dead.Count == 0 ? "" : dead.Max().ToString("F4", Inv);
                sb.Append(Inv, $"{Csv(r.Config.Name)},{r.Depth},{r.Seed},{e.Epoch},{e.TrainLoss:R},{e.Validation?.Loss:R},{e.Validation?.Accuracy:R},{mean},{max},{e.Seconds:F3}\n");
            }
        }
        return sb.ToString();
    }

    private static string WidthCsv(IEnumerable<WidthSample> samples)
    {
        var sb = new StringBuilder("config,depth,width,network,std_ratio_last_first,predicted\n");
        foreach (var s in samples)
        {
            for (int k = 0; k < s.Ratios.Length; k++)
                sb.Append(Inv, $"{Csv(s.Config.Name)},{s.Depth},{s.Width},{k},{s.Ratios[k]:R},{s.Predicted:R}\n");
        }
        return sb.ToString();
    }

    public static string Summary(DepthResults results, double totalSeconds)
    {
        var o = results.Options;
        var runs = results.Runs;
        var sb = new StringBuilder();
        sb.Append(Inv, $"Data: {results.DataDescription}; {results.TrainRows} training rows (a stratified subset drawn per seed), width {o.Width}, ")
          .Append(Inv, $"SGD momentum 0.9, lr {o.LearningRate}, batch 128, {o.Epochs} epochs; seeds {string.Join(", ", o.Seeds)} ")
          .Append("(the seed draws the training subset, the weights and the batch order). Each cell: mean ± sd over the seeds, ")
          .Append("[min–max] where the spread matters.\n\n");
        sb.Append("| depth | initialization | act. std layer 1 | act. std last layer | last / first [min–max] | test accuracy [min–max] | final train loss |\n");
        sb.Append("| ---: | --- | ---: | ---: | ---: | ---: | ---: |\n");
        foreach (var group in runs.GroupBy(r => (r.Depth, r.Config.Name)))
        {
            var g = group.ToList();
            var first = g.Select(r => r.ActivationStd[0]).ToList();
            var last = g.Select(r => r.ActivationStd[^1]).ToList();
            var ratio = g.Select(r => r.StdRatio).ToList();
            var acc = g.Select(r => r.FinalAccuracy).ToList();
            var loss = g.Select(r => r.FinalTrainLoss).ToList();
            string diverged = g.Any(r => r.Diverged) ? $" ({g.Count(r => r.Diverged)} diverged)" : "";
            sb.Append(Inv, $"| {group.Key.Depth} | {group.Key.Name} | {MeanSd(first, "G3")} | {MeanSd(last, "G3")} | {Mean(ratio):G3} [{ratio.Min():G3}–{ratio.Max():G3}] ")
              .Append(Inv, $"| {MeanSd(acc, "F4")} [{acc.Min():F4}–{acc.Max():F4}]{diverged} | {MeanSd(loss, "F4")} |\n");
        }

        var lsuv = runs.Where(r => r.LsuvVariance.Length > 0).ToList();
        if (lsuv.Count > 0)
        {
            sb.Append("\nLSUV (tolerance 0.02 on the 1000-row calibration batch): output variance of every dense layer after rescaling, ")
              .Append("over all layers and seeds, on the calibration rows and on 1000 held-out test rows\n\n");
            foreach (var group in lsuv.GroupBy(r => r.Depth))
            {
                var calibration = group.SelectMany(r => r.LsuvVariance).ToList();
                var heldOut = group.SelectMany(r => r.LsuvHeldOutVariance).ToList();
                sb.Append(Inv, $"- depth {group.Key}: calibration {calibration.Min():F4}–{calibration.Max():F4}, held out {heldOut.Min():F3}–{heldOut.Max():F3} ({group.First().LsuvVariance.Length} layers × {group.Count()} seeds)\n");
            }
        }

        if (results.Width.Count > 0)
        {
            var w = results.Width[0];
            sb.Append(Inv, $"\nFinite width: the ratio of last- to first-hidden-layer activation std at initialization, {w.Ratios.Length} fresh networks of ")
              .Append(Inv, $"{w.Depth} layers × {w.Width} per initializer (seeds 10000–{10000 + w.Ratios.Length - 1}), on {o.WidthBatchRows} training rows, against the infinite-width prediction ")
              .Append("g^((depth−1)/2), g = Var(w)·fan_in·(1+a²)/2\n\n");
            sb.Append("| initialization | predicted | median | mean | 5th–95th percentile | min–max | networks below half the prediction |\n");
            sb.Append("| --- | ---: | ---: | ---: | ---: | ---: | ---: |\n");
            foreach (var s in results.Width)
            {
                var sorted = s.Ratios.Order().ToArray();
                double p = s.Predicted!.Value;
                sb.Append(Inv, $"| {s.Config.Name} | {p:G3} | {Quantile(sorted, 0.5):G3} | {sorted.Average():G3} | {Quantile(sorted, 0.05):G3}–{Quantile(sorted, 0.95):G3} | ")
                  .Append(Inv, $"{sorted[0]:G3}–{sorted[^1]:G3} | {sorted.Count(r => r < p / 2)} of {sorted.Length} |\n");
            }
        }
        sb.Append(Inv, $"\nTotal run time {totalSeconds:F0} s.\n");
        return sb.ToString();
    }

    private static double Mean(IReadOnlyList<double> x) => x.Average();

    // Sample standard deviation (n − 1); 0 for a single value.
    private static double Sd(IReadOnlyList<double> x)
    {
        if (x.Count < 2)
            return 0;
        double mean = x.Average();
        return Math.Sqrt(x.Sum(v => (v - mean) * (v - mean)) / (x.Count - 1));
    }

    private static string MeanSd(IReadOnlyList<double> x, string format) =>
        x.Count < 2 ? x[0].ToString(format, Inv) : $"{x.Average().ToString(format, Inv)} ± {Sd(x).ToString(format, Inv)}";

    // Linear interpolation between order statistics (numpy's default).
    private static double Quantile(double[] sorted, double q)
    {
        double h = (sorted.Length - 1) * q;
        int lo = (int)Math.Floor(h), hi = Math.Min(lo + 1, sorted.Length - 1);
        return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
    }

    private static Plot StdPlot(List<DepthRun> runs, int depth, DepthExperimentOptions o)
    {
        var plot = new Plot();
        int i = 0;
        foreach (var group in runs.GroupBy(r => r.Config.Name))
        {
            var g = group.ToList();
            int layers = g[0].ActivationStd.Length;
            double[] xs = [.. Enumerable.Range(1, layers).Select(l => (double)l)];
            double[] Log(Func<IEnumerable<double>, double> f) => [.. Enumerable.Range(0, layers).Select(l => Math.Log10(Math.Max(f(g.Select(r => r.ActivationStd[l])), 1e-30)))];
            Plots.Line(plot, xs, Log(v => Math.Exp(v.Average(Math.Log))), group.Key, i++, (Log(v => v.Min()), Log(v => v.Max()), 0.25), markerSize: 3);
        }
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic
        {
            MinorTickGenerator = new ScottPlot.TickGenerators.LogMinorTickGenerator(),
            IntegerTicksOnly = true,
            LabelFormatter = y => $"1e{y:N0}",
        };
        plot.Title($"Activation std at init, depth {depth}, width {o.Width} (geometric mean, band min–max over seeds {string.Join(",", o.Seeds)})");
        plot.XLabel("hidden layer");
        plot.YLabel("std of activations (log scale)");
        plot.ShowLegend(Alignment.LowerLeft);
        return plot;
    }

    private static Plot AccuracyPlot(List<DepthRun> runs, int depth, DepthExperimentOptions o, int classes)
    {
        var plot = new Plot();
        int i = 0;
        foreach (var group in runs.GroupBy(r => r.Config.Name))
        {
            var g = group.ToList();
            int epochs = g.Min(r => r.Epochs.Count);
            double[] xs = [0, .. Enumerable.Range(1, epochs).Select(e => (double)e)];
            double[] Acc(Func<IEnumerable<double>, double> f) =>
                [1.0 / classes, .. Enumerable.Range(0, epochs).Select(e => f(g.Select(r => r.Epochs[e].Validation?.Accuracy ?? double.NaN)))];
            Plots.Line(plot, xs, Acc(v => v.Average()), group.Key, i++, (Acc(v => v.Min()), Acc(v => v.Max()), 0.2));
        }
        plot.Axes.SetLimitsY(0, 1);
        plot.Title($"Test accuracy per epoch, depth {depth} (mean, band min–max over seeds {string.Join(",", o.Seeds)})");
        plot.XLabel("epoch (0 = chance)");
        plot.YLabel("test accuracy");
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };
        plot.ShowLegend(Alignment.LowerRight);
        return plot;
    }

    // One box per initializer of log10(measured / predicted last-to-first std ratio): box = quartiles, whiskers = 5th–95th
    // percentile, dots = every network; the prediction is the line at 1. Dividing by the prediction puts Xavier's 10⁻⁵ and
    // He's 1 on one scale, so the spreads compare.
    private static Plot WidthPlot(IReadOnlyList<WidthSample> samples)
    {
        var plot = new Plot();
        var boxes = new List<Box>();
        for (int i = 0; i < samples.Count; i++)
        {
            double p = samples[i].Predicted!.Value;
            var sorted = samples[i].Ratios.Select(r => Math.Log10(r / p)).Order().ToArray();
            boxes.Add(new Box
            {
                Position = i,
                BoxMin = Quantile(sorted, 0.25),
                BoxMax = Quantile(sorted, 0.75),
                BoxMiddle = Quantile(sorted, 0.5),
                WhiskerMin = Quantile(sorted, 0.05),
                WhiskerMax = Quantile(sorted, 0.95),
            });
            double[] xs = [.. Enumerable.Range(0, sorted.Length).Select(k => i + 0.3 + 0.1 * k / sorted.Length)];
            var points = plot.Add.Markers(xs, sorted);
            points.MarkerSize = 3;
            points.Color = Colors.Gray.WithAlpha(0.7);
        }
        var b = plot.Add.Boxes(boxes);
        b.LegendText = "measured / predicted: quartiles, whiskers 5th–95th percentile, dots every network";
        var line = plot.Add.HorizontalLine(0);
        line.Color = Colors.Red;
        line.LinePattern = LinePattern.Dashed;
        line.LegendText = "infinite-width prediction g^((depth−1)/2)";
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            [.. Enumerable.Range(0, samples.Count).Select(i => (double)i)],
            [.. samples.Select(s => $"{s.Config.Name.Replace("/", "\n", StringComparison.Ordinal)}\npredicted {s.Predicted!.Value.ToString("G3", Inv)}")]);
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { LabelFormatter = y => Math.Pow(10, y).ToString("G2", Inv) };
        var s0 = samples[0];
        plot.Title($"Last/first activation std at init over theory: {s0.Ratios.Length} networks of {s0.Depth}×{s0.Width} each");
        plot.YLabel("measured / predicted std ratio (log scale)");
        plot.ShowLegend(Alignment.LowerLeft);
        return plot;
    }

    // RFC 4180: a field with a comma or quote is quoted, quotes doubled ("relu/uniform(-0.05,0.05)").
    private static string Csv(string field) =>
        field.Contains(',', StringComparison.Ordinal) || field.Contains('"', StringComparison.Ordinal) ? $"\"{field.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : field;

    private static void WriteText(string path, string text) =>
        AtomicFile.Write(path, s => s.Write(Encoding.UTF8.GetBytes(text)));
}
