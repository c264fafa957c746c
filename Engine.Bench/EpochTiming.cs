using System.Diagnostics;

namespace Engine.Bench;

/// <summary>
/// End-to-end timing: load fashion-mnist-train.csv.gz through the CSV loader, standardize, train the
/// 784-256-128-10 ReLU MLP (He init, batch 128, SGD momentum 0.9, lr 0.01, seed 1) and print the load
/// time, the median seconds per epoch, the effective GFLOP/s, the test accuracy and the peak working set.
/// Usage: epoch [--epochs N] [--threads N] [--batch N] [--loads N] [--datasets DIR] [--peak-tool PATH] [--ab-parts 1,2] [--no-warmup]
/// </summary>
internal static class EpochTiming
{
    public static int Run(string[] args)
    {
        int epochs = Options.Int(args, "--epochs", 5);
        // Another batch size (the recipe's is 128) shows what one thread gets from a smaller share of the batch.
        int batch = Options.Int(args, "--batch", 128);
        int threads = Options.Int(args, "--threads", Environment.ProcessorCount);
        string folder = FashionMnistRecipe.Folder(args);
        string trainPath = Path.Combine(folder, "fashion-mnist-train.csv.gz");
        string testPath = Path.Combine(folder, "fashion-mnist-test.csv.gz");
        if (!File.Exists(trainPath))
        {
            Console.Error.WriteLine($"epoch: {trainPath} not found; run from the repository root with ../shared/datasets beside it, or pass --datasets DIR.");
            return 2;
        }
        KernelOptions.MaxThreads = threads;
        GemmPacked.PartsPerThread = Options.Int(args, "--parts-per-thread", GemmPacked.PartsPerThread);
        var peak = Peak.Measure(args);

        // As `mlp train` does: compile the training path on another thread while the data load (--no-warmup: not).
        var warmUp = args.Contains("--no-warmup") ? Task.CompletedTask
            : Task.Run(() => Engine.Tabular.TrainingWarmUp.Run(new Engine.Tabular.FitOptions { Hidden = [256, 128], BatchSize = batch, Optimizer = OptimizerKind.Sgd, LearningRate = 0.01, Momentum = 0.9 }));
        // The first load includes JIT compilation of the loader; later ones show its steady speed.
        int loads = Options.Int(args, "--loads", 5);
        var loadTimes = new double[loads];
        Dataset train = null!;
        for (int i = 0; i < loads; i++)
        {
            train = null!;
            GC.Collect();
            var clock = Stopwatch.StartNew();
            train = CsvDataset.Load(trainPath, new CsvLoadOptions { Target = "label" });
            loadTimes[i] = clock.Elapsed.TotalSeconds;
        }
        var test = CsvDataset.Load(testPath, new CsvLoadOptions { Target = "label", Task = TaskKind.Classification, ClassNames = train.ClassNames });
        var scaler = new StandardScaler();
        scaler.Fit(train.Features);
        scaler.Transform(train.Features);
        scaler.Transform(test.Features);

        warmUp.Wait();
        // The loads leave their parse buffers behind (about 40 MB each time): hand them back before the timed run, as
        // a long-lived process would after its first collection, so the peak printed at the end is the training's.
        long loadPeak = Process.GetCurrentProcess().PeakWorkingSet64;
        GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        var model = FashionMnistRecipe.Model();
        var trainer = new Trainer(model, new SoftmaxCrossEntropy<float>(), FashionMnistRecipe.Optimizer(model),
            new TrainingOptions { Task = TaskKind.Classification, Epochs = epochs, BatchSize = batch, Seed = 1 });
        // --ab-parts 1,2: epochs alternate between these parts-per-thread settings (same bits), for an A/B under the
        // same machine load; the medians of each are printed.
        int[] ab = [.. Options.String(args, "--ab-parts", "").Split(',', StringSplitOptions.RemoveEmptyEntries).Select(v => int.Parse(v, CultureInfo.InvariantCulture))];
        if (ab.Length > 0)
        {
            GemmPacked.PartsPerThread = ab[0];
            trainer.EpochCompleted = e => GemmPacked.PartsPerThread = ab[e.Epoch % ab.Length];
        }
        // --ab-sgd: epochs alternate between the two-thread and the one-thread SGD update (same bits).
        if (args.Contains("--ab-sgd"))
        {
            int parallelMin = Sgd<float>.ParallelMinLength;
            trainer.EpochCompleted = e => Sgd<float>.ParallelMinLength = e.Epoch % 2 == 0 ? parallelMin : int.MaxValue;
        }
        // --ab-prefetch: epochs alternate between prefetching the next batch's rows and not (same bits).
        bool abPrefetch = args.Contains("--ab-prefetch");
        if (abPrefetch)
        {
            BatchIterator.PrefetchNext = true;
            trainer.EpochCompleted = e => BatchIterator.PrefetchNext = e.Epoch % 2 == 0;
        }
        long trainingSet = 0; // the working set at each epoch's end (nothing is allocated per step: it stays flat)
        var abSwitch = trainer.EpochCompleted; // an A/B mode's setting switch, if any
        trainer.EpochCompleted = e =>
        {
            abSwitch?.Invoke(e);
            trainingSet = Math.Max(trainingSet, Environment.WorkingSet);
        };
        var history = trainer.Fit(train);
        if (args.Contains("--ab-sgd"))
        {
            foreach (bool on in new[] { true, false })
            {
                double[] times = [.. history.Epochs.Where(e => e.Epoch > 2 && ((e.Epoch - 1) % 2 == 0) == on).Select(e => e.Seconds)];
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"two-thread SGD {(on ? "on" : "off")}: median {Options.Median(times):F3} s over {times.Length} epochs ({string.Join(", ", times.Select(t => t.ToString("F3", CultureInfo.InvariantCulture)))})"));
            }
        }
        if (abPrefetch)
        {
            foreach (bool on in new[] { true, false })
            {
                double[] times = [.. history.Epochs.Where(e => e.Epoch > 2 && ((e.Epoch - 1) % 2 == 0) == on).Select(e => e.Seconds)];
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"prefetch {(on ? "on" : "off")}: median {Options.Median(times):F3} s over {times.Length} epochs ({string.Join(", ", times.Select(t => t.ToString("F3", CultureInfo.InvariantCulture)))})"));
            }
        }
        for (int v = 0; v < ab.Length; v++)
        {
            double[] times = [.. history.Epochs.Where(e => (e.Epoch - 1) % ab.Length == v && e.Epoch > ab.Length).Select(e => e.Seconds)];
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"parts per thread {ab[v]}: median {Options.Median(times):F3} s over {times.Length} epochs ({string.Join(", ", times.Select(t => t.ToString("F3", CultureInfo.InvariantCulture)))})"));
        }
        double median = Options.Median([.. history.Epochs.Select(e => e.Seconds)]);
        double flops = FlopsPerEpoch(model, train.Count);
        double accuracy = Evaluator.Evaluate(model, new SoftmaxCrossEntropy<float>(), test).Accuracy ?? double.NaN;

        var inv = CultureInfo.InvariantCulture;
        Console.WriteLine(string.Create(inv, $"machine: {Environment.ProcessorCount} cores, {threads} GEMM threads, batch {batch}, Vector512 {System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated}"));
        Console.WriteLine(string.Create(inv, $"load fashion-mnist-train.csv.gz ({train.Count} rows): first {loadTimes[0]:F3} s, median of {loads} {Options.Median(loadTimes):F3} s ({string.Join(", ", loadTimes.Select(t => t.ToString("F3", inv)))})"));
        Console.WriteLine(string.Create(inv, $"epochs: {string.Join(", ", history.Epochs.Select(e => e.Seconds.ToString("F3", inv)))} s"));
        string ofPeak = peak is null ? "" : string.Create(inv, $", {100 * flops / median / 1e9 / peak.Cores(threads):F1} % of {threads} × one-core peak ({peak.Cores(threads):F1})");
        Console.WriteLine(string.Create(inv, $"median epoch: {median:F3} s   ({flops / 1e9:F1} GFLOP per epoch → {flops / median / 1e9:F1} GFLOP/s effective{ofPeak})"));
        Console.WriteLine(string.Create(inv, $"first epoch: {history.Epochs[0].Seconds:F3} s = {history.Epochs[0].Seconds / median:F2} × the median"));
        Console.WriteLine(string.Create(inv, $"final training loss {history.Epochs[^1].TrainLoss:F4}, test accuracy {accuracy:F4} after {epochs} epochs"));
        Console.WriteLine(string.Create(inv, $"peak working set: {Process.GetCurrentProcess().PeakWorkingSet64 / (1024.0 * 1024):F0} MB (while loading: {loadPeak / (1024.0 * 1024):F0} MB; at the epochs' ends: {trainingSet / (1024.0 * 1024):F0} MB)"));
        Peak.Measure(args);
        return 0;
    }

    /// <summary>
    /// Multiply-adds ×2 of one epoch: per sample and dense layer, forward 2·in·out, dW 2·in·out, and dX
    /// 2·in·out except for the first layer (whose input gradient is skipped).
    /// </summary>
    internal static double FlopsPerEpoch(Sequential<float> model, int samples)
    {
        double perSample = 0;
        bool first = true;
        foreach (var dense in model.Layers.OfType<Dense<float>>())
        {
            double mac = (double)dense.InFeatures * dense.OutFeatures;
            perSample += 2 * mac * (first ? 2 : 3);
            first = false;
        }
        return perSample * samples;
    }
}
