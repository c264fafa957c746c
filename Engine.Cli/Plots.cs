using ScottPlot;
using Color = ScottPlot.Color;
using Colors = ScottPlot.Colors;

namespace Engine.Cli;

/// <summary>
/// Every figure mlp draws, in one style and through one writer: the training curves (<c>train --plot</c>), the confusion
/// matrix and predicted-against-true (<c>evaluate --plot</c>), and the depth experiment's figures. A PNG is rendered in
/// memory and written atomically, like every other output.
/// </summary>
internal static class Plots
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public const int Width = 900;
    public const int Height = 560;

    /// <summary>The i-th colour of the Category10 palette (matplotlib's default cycle).</summary>
    public static Color Palette(int i) => new ScottPlot.Palettes.Category10().GetColor(i);

    /// <summary>
    /// A line through (<paramref name="xs"/>, <paramref name="ys"/>) in the palette's colour <paramref name="color"/>, and
    /// behind it, when <paramref name="band"/> is given, a shaded band between its low and high values (a spread over seeds).
    /// </summary>
    public static ScottPlot.Plottables.Scatter Line(Plot plot, double[] xs, double[] ys, string label, int color,
        (double[] Low, double[] High, double Alpha)? band = null, float markerSize = 5, bool dashed = false, IYAxis? yAxis = null)
    {
        var c = Palette(color);
        if (band is var (low, high, alpha))
        {
            var fill = plot.Add.FillY(xs, low, high);
            fill.FillStyle.Color = c.WithAlpha(alpha);
            fill.LineStyle.Width = 0;
            if (yAxis is not null)
                fill.Axes.YAxis = yAxis;
        }
        var line = plot.Add.Scatter(xs, ys);
        line.Color = c;
        line.MarkerSize = markerSize;
        line.LegendText = label;
        if (dashed)
            line.LinePattern = LinePattern.Dashed;
        if (yAxis is not null)
            line.Axes.YAxis = yAxis;
        return line;
    }

    /// <summary>Writes <paramref name="plot"/> as a PNG (atomically: a reader never sees half a file).</summary>
    public static void Save(Plot plot, string path, int width = Width, int height = Height)
    {
        byte[] png = plot.GetImageBytes(width, height, ImageFormat.Png);
        AtomicFile.Write(path, s => s.Write(png));
    }

    /// <summary>
    /// Loss per epoch on the left axis (training, and validation where there is one), accuracy on the right axis
    /// (classification: training accuracy as the model learned during the epoch, and validation accuracy), dashed.
    /// </summary>
    public static Plot TrainingCurves(IReadOnlyList<EpochResult> epochs, string title)
    {
        var plot = new Plot();
        double[] xs = [.. epochs.Select(e => (double)e.Epoch)];
        Line(plot, xs, [.. epochs.Select(e => Finite(e.TrainLoss))], "training loss", 0);
        if (epochs.Any(e => e.Validation is not null))
            Line(plot, xs, [.. epochs.Select(e => Finite(e.Validation?.Loss))], "validation loss", 1);
        bool classification = epochs.Any(e => e.TrainAccuracy is not null || e.Validation?.Accuracy is not null);
        if (classification)
        {
            var right = plot.Axes.Right;
            if (epochs.Any(e => e.TrainAccuracy is not null))
                Line(plot, xs, [.. epochs.Select(e => Finite(e.TrainAccuracy))], "training accuracy (right)", 0, dashed: true, yAxis: right);
            if (epochs.Any(e => e.Validation?.Accuracy is not null))
                Line(plot, xs, [.. epochs.Select(e => Finite(e.Validation?.Accuracy))], "validation accuracy (right)", 1, dashed: true, yAxis: right);
            right.Label.Text = "accuracy";
        }
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };
        plot.Title(title);
        plot.XLabel("epoch");
        plot.YLabel("loss");
        plot.ShowLegend(Edge.Bottom); // below the axes: the curves run through every corner
        return plot;
    }

    /// <summary>
    /// The confusion matrix as a heat map: true classes as rows (top to bottom), predicted classes as columns, each cell
    /// coloured by its share of the row (the class's recall on the diagonal) and labelled with its count.
    /// </summary>
    public static Plot ConfusionMatrix(ClassificationReport report, string title)
    {
        int k = report.Classes.Count;
        var shares = new double[k, k];
        for (int t = 0; t < k; t++)
        {
            double total = Math.Max(1, report.Confusion[t].Sum());
            for (int p = 0; p < k; p++)
                shares[t, p] = report.Confusion[t][p] / total;
        }
        var plot = new Plot();
        var map = plot.Add.Heatmap(shares);
        map.Colormap = new ScottPlot.Colormaps.Blues().Reversed(); // light for 0, dark blue for 1, as scikit-learn's ConfusionMatrixDisplay
        map.ManualRange = new ScottPlot.Range(0, 1);
        plot.Add.ColorBar(map);
        float fontSize = k <= 10 ? 14 : k <= 20 ? 10 : 7;
        for (int t = 0; t < k; t++)
        {
            for (int p = 0; p < k; p++)
            {
                var text = plot.Add.Text(report.Confusion[t][p].ToString(Inv), p, k - 1 - t);
                text.LabelFontSize = fontSize;
                text.LabelAlignment = Alignment.MiddleCenter;
                text.LabelFontColor = shares[t, p] > 0.5 ? Colors.White : Colors.Black;
            }
        }
        double[] positions = [.. Enumerable.Range(0, k).Select(i => (double)i)];
        string[] names = [.. report.Classes.Select(Label)];
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(positions, names);
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual([.. positions.Reverse()], names);
        if (k * names.Max(n => n.Length) > 60) // long names side by side would overlap
        {
            plot.Axes.Bottom.TickLabelStyle.Rotation = -45;
            plot.Axes.Bottom.TickLabelStyle.Alignment = Alignment.MiddleRight;
        }
        plot.Axes.SetLimits(-0.5, k - 0.5, -0.5, k - 0.5);
        plot.Title(title);
        plot.XLabel("predicted class (colour: share of the true class's rows)");
        plot.YLabel("true class");
        return plot;
    }

    /// <summary>Regression: each row's prediction against its true value, and the line y = x where they would agree.</summary>
    public static Plot PredictedVsTrue(ReadOnlySpan<float> predicted, ReadOnlySpan<float> truth, string target, string title)
    {
        double[] xs = new double[truth.Length], ys = new double[truth.Length];
        for (int i = 0; i < xs.Length; i++)
        {
            xs[i] = truth[i];
            ys[i] = Finite(predicted[i]);
        }
        var plot = new Plot();
        var points = plot.Add.Markers(xs, ys, MarkerShape.FilledCircle, 4, Palette(0).WithAlpha(0.5));
        points.LegendText = "rows";
        double lo = Math.Min(xs.Min(), ys.Where(double.IsFinite).DefaultIfEmpty(0).Min());
        double hi = Math.Max(xs.Max(), ys.Where(double.IsFinite).DefaultIfEmpty(0).Max());
        var diagonal = plot.Add.Line(lo, lo, hi, hi);
        diagonal.Color = Colors.Red;
        diagonal.LinePattern = LinePattern.Dashed;
        diagonal.LegendText = "predicted = true";
        plot.Title(title);
        plot.XLabel($"true {Label(target)}");
        plot.YLabel($"predicted {Label(target)}");
        plot.ShowLegend(Alignment.UpperLeft);
        return plot;
    }

    // NaN (a diverged epoch) leaves a gap; ScottPlot skips non-finite points.
    private static double Finite(double? value) => value is double v && double.IsFinite(v) ? v : double.NaN;

    // Names from the data on a figure: control characters escaped, long ones cut.
    private static string Label(string name)
    {
        string safe = CliRunner.Escape(name);
        return safe.Length > 24 ? safe[..23] + "…" : safe;
    }
}
