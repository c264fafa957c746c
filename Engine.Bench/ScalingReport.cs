using System.Diagnostics;
using ScottPlot;

namespace Engine.Bench;

/// <summary>
/// How the cost of an epoch grows: time per epoch and % of peak for width 128…2048 (two hidden layers, batch 128),
/// batch 32…2048 (two hidden layers of 256) and depth 2/8/32 (hidden layers of 256, batch 128), on random
/// 784-input rows with 10 classes, SGD momentum 0.9; then the same grid for PyTorch (Engine.Bench/torch_peer.py,
/// 1 thread) when it is installed, a CSV and a plot of the ratio.
/// Usage: scaling [--rows N] [--epochs N] [--threads N] [--out DIR] [--python PATH] [--torch-blas DIR] [--peak-tool PATH]
/// (--torch-blas: a folder put on PyTorch's LD_LIBRARY_PATH, for a libblas.so.3 other than the system's)
/// </summary>
internal static class ScalingReport
{
    private static readonly (string Group, int[] Hidden, int Batch)[] Grid =
    [
        .. new[] { 128, 256, 512, 1024, 2048 }.Select(w => ("width", new[] { w, w }, 128)),
        .. new[] { 32, 128, 512, 2048 }.Select(b => ("batch", new[] { 256, 256 }, b)),
        .. new[] { 2, 8, 32 }.Select(d => ("depth", Enumerable.Repeat(256, d).ToArray(), 128)),
    ];

    public static int Run(string[] args)
    {
        int rows = Options.Int(args, "--rows", 8192);
        int epochs = Options.Int(args, "--epochs", 3);
        int threads = Options.Int(args, "--threads", Environment.ProcessorCount);
        string outDir = Options.String(args, "--out", Path.Combine("docs", "scaling"));
        string python = Options.String(args, "--python", "/usr/bin/python3");
        KernelOptions.MaxThreads = threads;
        var inv = CultureInfo.InvariantCulture;
        var peakBefore = Peak.Measure(args);

        var rng = new Rng(1);
        var x = new Matrix<float>(rows, 784);
        var y = new Matrix<float>(rows, 1);
        var xs = x.AsSpan();
        for (int i = 0; i < xs.Length; i++)
            xs[i] = (float)(rng.NextDouble() * 2 - 1);
        for (int i = 0; i < rows; i++)
            y[i, 0] = (int)(rng.NextDouble() * 10) % 10;
        var data = new Dataset(x, y, [.. Enumerable.Range(0, 784).Select(i => $"x{i}")], "label", TaskKind.Classification,
            [.. Enumerable.Range(0, 10).Select(i => i.ToString(inv))], "random");

        var engine = new double[Grid.Length];
        var flops = new double[Grid.Length];
        for (int g = 0; g < Grid.Length; g++)
        {
            var (_, hidden, batch) = Grid[g];
            var model = FashionMnistRecipe.Model(hidden);
            var trainer = new Trainer(model, new SoftmaxCrossEntropy<float>(), FashionMnistRecipe.Optimizer(model),
                new TrainingOptions { Task = TaskKind.Classification, Epochs = epochs, BatchSize = batch, Seed = 1 });
            engine[g] = Options.Median([.. trainer.Fit(data).Epochs.Select(e => e.Seconds)]);
            flops[g] = EpochTiming.FlopsPerEpoch(model, rows);
            Console.Error.WriteLine(string.Create(inv, $"engine {Name(g)}: {engine[g]:F3} s"));
        }

        double[]? torch = RunTorch(python, Options.String(args, "--torch-blas", ""), rows, epochs);
        var peakAfter = Peak.Measure(args);
        double? peak = peakBefore is null ? null : Math.Max(peakBefore.OneCore, peakAfter?.OneCore ?? 0);

        Directory.CreateDirectory(outDir);
        using var csv = new StreamWriter(Path.Combine(outDir, "scaling.csv"));
        csv.WriteLine("group,hidden,batch,gflop_per_epoch,engine_seconds,engine_pct_of_cores_peak,torch_seconds,torch_pct_of_one_core_peak,torch_over_engine");
        Console.WriteLine(string.Create(inv, $"{rows} random rows × 784 inputs, 10 classes; median of {epochs} epochs; engine on {threads} threads, PyTorch on 1"));
        Console.WriteLine("| group | hidden | batch | GFLOP/epoch | engine s | engine % of peak | PyTorch s | PyTorch % of 1-core peak | PyTorch / engine |");
        Console.WriteLine("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        for (int g = 0; g < Grid.Length; g++)
        {
            var (group, hidden, batch) = Grid[g];
            string hiddenText = hidden.Length > 2 ? $"{hidden.Length}×{hidden[0]}" : string.Join("-", hidden);
            double gf = flops[g] / 1e9;
            string enginePct = peak is double pk ? (100 * gf / engine[g] / (threads * pk)).ToString("F0", inv) : "";
            string torchS = torch is null ? "" : torch[g].ToString("F3", inv);
            string torchPct = torch is null || peak is null ? "" : (100 * gf / torch[g] / peak.Value).ToString("F0", inv);
            string ratio = torch is null ? "" : (torch[g] / engine[g]).ToString("F2", inv);
            Console.WriteLine(string.Create(inv, $"| {group} | {hiddenText} | {batch} | {gf:F1} | {engine[g]:F3} | {enginePct} | {torchS} | {torchPct} | {ratio} |"));
            csv.WriteLine(string.Create(inv, $"{group},{hiddenText},{batch},{gf:F3},{engine[g]:F4},{enginePct},{torchS},{torchPct},{ratio}"));
        }
        Console.WriteLine(string.Create(inv, $"(% of peak: of {threads} × the one-core peak for the engine, of one core for PyTorch; one-core peak {peak:F1} GFLOP/s, the higher of the two peak-flops runs)"));
        if (torch is not null)
            RatioPlot(torch, engine).SavePng(Path.Combine(outDir, "scaling_ratio.png"), 900, 500);
        return 0;
    }

    private static string Name(int g) => $"{Grid[g].Group} {string.Join(",", Grid[g].Hidden.Length > 2 ? [$"{Grid[g].Hidden.Length}x256"] : Grid[g].Hidden.Select(h => h.ToString(CultureInfo.InvariantCulture)))} batch {Grid[g].Batch}";

    private static double[]? RunTorch(string python, string blasFolder, int rows, int epochs)
    {
        string script = Path.Combine(AppContext.BaseDirectory, "torch_peer.py");
        var start = new ProcessStartInfo(python) { RedirectStandardOutput = true };
        start.ArgumentList.Add(script);
        start.ArgumentList.Add("scaling");
        start.ArgumentList.Add(rows.ToString(CultureInfo.InvariantCulture));
        start.ArgumentList.Add(epochs.ToString(CultureInfo.InvariantCulture));
        foreach (var (_, hidden, batch) in Grid)
            start.ArgumentList.Add($"{string.Join(",", hidden)}:{batch}");
        // OpenBLAS' own settings for this machine's engine runs do not suit PyTorch's bundled copy.
        start.Environment.Remove("OPENBLAS_CORETYPE");
        start.Environment.Remove("OPENBLAS_L2_SIZE");
        if (blasFolder.Length > 0)
            start.Environment["LD_LIBRARY_PATH"] = blasFolder; // e.g. an unpacked libopenblas0-pthread: PyTorch's libblas.so.3
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            Console.WriteLine($"PyTorch peer skipped: {python} could not be started ({e.Message}).");
            return null;
        }
        using (process)
        {
            var lines = new List<string>();
            string? line;
            while ((line = process.StandardOutput.ReadLine()) != null)
            {
                lines.Add(line);
                Console.Error.WriteLine($"torch {line}");
            }
            process.WaitForExit();
            if (process.ExitCode != 0 || lines.Count != Grid.Length)
            {
                Console.WriteLine($"PyTorch peer skipped: {script} exited {process.ExitCode} (is torch installed for {python}?).");
                return null;
            }
            return [.. lines.Select(l => double.Parse(l[(l.LastIndexOf(',') + 1)..], CultureInfo.InvariantCulture))];
        }
    }

    private static Plot RatioPlot(double[] torch, double[] engine)
    {
        var plot = new Plot();
        var bars = new List<Bar>();
        var ticks = new List<Tick>();
        for (int g = 0; g < Grid.Length; g++)
        {
            bars.Add(new Bar { Position = g, Value = torch[g] / engine[g], FillColor = new ScottPlot.Palettes.Category10().GetColor(Grid[g].Group switch { "width" => 0, "batch" => 1, _ => 2 }) });
            var (group, hidden, batch) = Grid[g];
            string label = group switch
            {
                "width" => $"w {hidden[0]}",
                "batch" => $"b {batch}",
                _ => $"d {hidden.Length}",
            };
            ticks.Add(new Tick(g, label));
        }
        plot.Add.Bars(bars);
        var one = plot.Add.HorizontalLine(1);
        one.LinePattern = LinePattern.Dashed;
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual([.. ticks]);
        plot.Axes.Margins(bottom: 0);
        plot.Title("PyTorch 1.13 (1 thread) epoch time / Engine epoch time (2 threads): above 1 = Engine faster");
        plot.YLabel("time ratio");
        plot.XLabel("width (2 hidden, batch 128) · batch (256-256) · depth (×256, batch 128)");
        return plot;
    }
}
