using System.Diagnostics;
using System.Numerics.Tensors;

namespace Engine.Bench;

/// <summary>
/// Where an epoch's time goes: the Fashion-MNIST run of <see cref="EpochTiming"/> (784-256-128-10 ReLU, batch 128,
/// SGD momentum 0.9) as the trainer runs it, but with every piece of a step timed on its own: shuffle, batch
/// gather, each Dense layer's forward product (bias in the epilogue), its dW and dX products and bias sums,
/// activations forward and backward, loss, accuracy counting, zero grad, finiteness guard, optimizer step and the
/// per-epoch evaluation. A stopwatch read costs ~20 ns, about 0.05 % of a step. Results are the same bits as the trainer's.
/// Usage: breakdown [--epochs N] [--threads N] [--datasets DIR]   (the first epoch is left out of the averages)
/// </summary>
internal static class EpochBreakdown
{
    public static int Run(string[] args)
    {
        int epochs = Options.Int(args, "--epochs", 4);
        int threads = Options.Int(args, "--threads", Environment.ProcessorCount);
        string folder = FashionMnistRecipe.Folder(args);
        KernelOptions.MaxThreads = threads;
        var peak = Peak.Measure(args);
        var train = CsvDataset.Load(Path.Combine(folder, "fashion-mnist-train.csv.gz"), new CsvLoadOptions { Target = "label" });
        var scaler = new StandardScaler();
        scaler.Fit(train.Features);
        scaler.Transform(train.Features);

        var model = FashionMnistRecipe.Model();
        var loss = new SoftmaxCrossEntropy<float>();
        var sgd = FashionMnistRecipe.Optimizer(model);
        var layers = model.Layers;
        var names = new List<string>();
        var seconds = new Dictionary<string, double>();
        var inputs = new Matrix<float>[layers.Count];
        var gradInputs = new Matrix<float>?[layers.Count];
        var batches = new BatchIterator(train, 128, 1);
        var epochSeconds = new List<double>();
        double lossSum = 0;

        for (int epoch = 0; epoch < epochs; epoch++)
        {
            bool keep = epoch > 0;
            var epochClock = Stopwatch.StartNew();
            long t = Stopwatch.GetTimestamp();
            void Lap(string what)
            {
                long now = Stopwatch.GetTimestamp();
                if (keep)
                {
                    if (!seconds.ContainsKey(what))
                        names.Add(what);
                    seconds[what] = seconds.GetValueOrDefault(what) + (now - t) / (double)Stopwatch.Frequency;
                }
                t = now;
            }
            batches.StartEpoch(epoch);
            Lap("shuffle (StartEpoch)");
            lossSum = 0;
            while (true)
            {
                if (!batches.Next(out var x, out var y))
                    break;
                Lap("batch gather");
                var h = x;
                for (int i = 0; i < layers.Count; i++)
                {
                    inputs[i] = h;
                    h = layers[i].Forward(h);
                    Lap(layers[i] is Dense<float> d ? $"forward {d} (X·Wᵀ+b)" : $"activation forward");
                }
                lossSum += loss.Forward(h, y) * x.Rows;
                Lap("loss forward (softmax + CE)");
                int correct = 0;
                for (int i = 0; i < h.Rows; i++)
                {
                    if (TensorPrimitives.IndexOfMax<float>(h.Row(i)) == (int)y[i, 0])
                        correct++;
                }
                Lap("accuracy counting");
                sgd.ZeroGrad();
                Lap("zero grad");
                var g = loss.Backward();
                Lap("loss backward");
                for (int i = layers.Count - 1; i >= 0; i--)
                {
                    if (layers[i] is Dense<float> d)
                    {
                        var input = inputs[i];
                        Gemm.MatMulTransA(d.Weight.Grad.AsSpan(), g.AsSpan(), input.AsSpan(), d.OutFeatures, input.Rows, d.InFeatures, accumulate: true);
                        Lap($"dW {d} (dYᵀ·X)");
                        Reductions.ColumnSums(d.Bias.Grad.AsSpan(), g.AsSpan(), input.Rows, d.OutFeatures, accumulate: true);
                        Lap("bias gradients (column sums)");
                        if (i > 0)
                        {
                            // The layer's own Backward would redo dW: the product is called directly, into a reused buffer.
                            var dx = Matrix<float>.Reuse(ref gradInputs[i], input.Rows, d.InFeatures);
                            Gemm.MatMul(dx.AsSpan(), g.AsSpan(), d.Weight.Value.AsSpan(), input.Rows, d.OutFeatures, d.InFeatures);
                            Lap($"dX {d} (dY·W)");
                            g = dx;
                        }
                    }
                    else
                    {
                        g = layers[i].Backward(g)!;
                        Lap("activation backward");
                    }
                }
                foreach (var q in model.Parameters)
                    _ = float.IsFinite(TensorPrimitives.Sum<float>(q.Grad.AsSpan()));
                Lap("finiteness guard");
                sgd.Step();
                Lap("optimizer step (SGD momentum)");
            }
            var evaluation = Evaluator.Evaluate(model, loss, train);
            Lap("(evaluation of all 60000 training rows, for scale: the trainer evaluates a validation set only when given one)");
            epochSeconds.Add(epochClock.Elapsed.TotalSeconds);
        }

        var inv = CultureInfo.InvariantCulture;
        int kept = epochs - 1;
        double total = names.Where(n => !n.StartsWith('(') && !n.StartsWith("per-epoch", StringComparison.Ordinal)).Sum(n => seconds[n]) / kept;
        double flops = EpochTiming.FlopsPerEpoch(model, train.Count);
        Console.WriteLine(string.Create(inv, $"{threads} GEMM threads; mean of epochs 2..{epochs}; epoch (timed parts, no evaluation) {total * 1000:F1} ms, {flops / total / 1e9:F1} GFLOP/s{(peak is null ? "" : $" = {100 * flops / total / 1e9 / peak.Cores(threads):F1} % of {threads} × one-core peak")}"));
        Console.WriteLine("| part | ms per epoch | share | GFLOP/s |");
        Console.WriteLine("| --- | ---: | ---: | ---: |");
        var dense = layers.OfType<Dense<float>>().ToList();
        foreach (string n in names)
        {
            double ms = seconds[n] / kept * 1000;
            var layer = dense.FirstOrDefault(d => n.Contains(d.ToString(), StringComparison.Ordinal));
            string gflops = layer is null || n.StartsWith('(') ? "" : (2.0 * layer.InFeatures * layer.OutFeatures * train.Count / (ms / 1000) / 1e9).ToString("F1", inv);
            Console.WriteLine(string.Create(inv, $"| {n} | {ms:F1} | {(n.StartsWith('(') || n.StartsWith("per-epoch", StringComparison.Ordinal) ? "" : (100 * ms / 1000 / total).ToString("F1", inv) + " %")} | {gflops} |"));
        }
        Console.WriteLine(string.Create(inv, $"epoch wall times: {string.Join(", ", epochSeconds.Select(s => s.ToString("F3", inv)))} s; training loss {lossSum / train.Count:F4}"));
        Peak.Measure(args);
        return 0;
    }
}
