using System.Diagnostics;
using Engine.Diagnostics;

namespace Engine.Cli.Experiments;

/// <summary>One network configuration of the depth experiment.</summary>
/// <param name="Name">Label in tables and plots, e.g. "relu/he-normal".</param>
/// <param name="Activation">Hidden activation.</param>
/// <param name="Init">Weight initializer, or null for LSUV.</param>
/// <param name="NegativeSlope">Leaky ReLU's slope (PReLU starts at 0.25).</param>
internal sealed record DepthConfig(string Name, Activation Activation, IInitializer? Init, double NegativeSlope = 0.2)
{
    /// <summary>Leaky ReLU's slope, or PReLU's starting one (0.25, as PyTorch's; see <see cref="Mlp.CreateActivation{T}"/>).</summary>
    public double Slope => Activation switch
    {
        Activation.LeakyReLU => NegativeSlope,
        Activation.PReLU => 0.25,
        _ => 0,
    };

    /// <summary>
    /// The infinite-width prediction of the ratio of the last to the first hidden activation std at initialization,
    /// <paramref name="depth"/> hidden layers of <paramref name="width"/>: pre-activations are Gaussian with a variance
    /// multiplied at each layer by g = Var(w)·fan_in·(1 + a²)/2 (a rectifier with negative slope a passes (1 + a²)/2 of
    /// the second moment), so the std ratio is g^((depth − 1)/2). Null where the scheme has no closed form (LSUV).
    /// </summary>
    public double? PredictedRatio(int width, int depth)
    {
        if (Init is null)
            return null;
        var context = new InitContext(width, width, Activation, Slope, new Rng(0));
        double variance = Init switch
        {
            HeNormal he => Math.Pow(he.Std(context), 2),
            XavierNormal xavier => Math.Pow(xavier.Std(context), 2),
            Uniform u => Math.Pow(u.High - u.Low, 2) / 12,
            _ => double.NaN,
        };
        double g = variance * width * (1 + Slope * Slope) / 2;
        return double.IsNaN(g) ? null : Math.Pow(g, (depth - 1) / 2.0);
    }
}

/// <summary>What one run (one configuration, depth and seed) measured.</summary>
internal sealed record DepthRun(DepthConfig Config, int Depth, ulong Seed, double[] ActivationStd, double[] LsuvVariance, double[] LsuvHeldOutVariance,
    IReadOnlyList<EpochResult> Epochs, bool Diverged, double Seconds)
{
    public double FinalAccuracy => Epochs.Count == 0 ? double.NaN : Epochs[^1].Validation?.Accuracy ?? double.NaN;

    public double FinalTrainLoss => Epochs.Count == 0 ? double.NaN : Epochs[^1].TrainLoss;

    public double StdRatio => ActivationStd[^1] / ActivationStd[0];
}

/// <summary>The finite-width figure: last/first activation std ratio at initialization of many fresh networks.</summary>
internal sealed record WidthSample(DepthConfig Config, int Width, int Depth, double[] Ratios, double? Predicted);

/// <summary>Everything one <c>mlp experiment depth</c> measured, with the settings it ran with.</summary>
internal sealed record DepthResults(DepthExperimentOptions Options, string DataDescription, int Classes, int TrainRows, IReadOnlyList<DepthRun> Runs, IReadOnlyList<WidthSample> Width);

/// <summary>
/// He et al. (2015) made measurable: plain MLPs of width 256 and growing depth, initialized several ways, trained
/// briefly with SGD on standardized data (Fashion-MNIST by default), each over several seeds (the seed draws the
/// training subset, the weights and the batch order). Records per-layer activation std at initialization, per-epoch
/// training loss and test accuracy, and, for LSUV, the variance reached on the calibration rows and on held-out rows.
/// Then many fresh networks at initialization only, for the spread of the std ratio around the infinite-width prediction.
/// </summary>
internal sealed class DepthExperiment(DepthExperimentOptions options, TextWriter log)
{
    public static IReadOnlyList<DepthConfig> Configs { get; } =
    [
        new("relu/he-normal", Activation.ReLU, new HeNormal()),
        new("relu/xavier-normal", Activation.ReLU, new XavierNormal()),
        new("relu/uniform(-0.05,0.05)", Activation.ReLU, new Uniform(-0.05, 0.05)),
        new("relu/lsuv", Activation.ReLU, null),
        new("leaky-relu(0.2)/he-slope-aware", Activation.LeakyReLU, new HeNormal()),
        new("leaky-relu(0.2)/he-plain", Activation.LeakyReLU, new HeNormal(negativeSlope: 0)),
        new("prelu/he-slope-aware", Activation.PReLU, new HeNormal()),
        new("prelu/he-plain", Activation.PReLU, new HeNormal(negativeSlope: 0)),
    ];

    /// <summary>
    /// The configurations <paramref name="only"/> names, whole names separated by commas (a comma inside parentheses
    /// belongs to the name, as in "relu/uniform(-0.05,0.05)"), or all of them when null. "relu/he-normal" selects that
    /// configuration only, not the PReLU ones.
    /// </summary>
    public static IReadOnlyList<DepthConfig> Select(string? only)
    {
        if (only is null)
            return Configs;
        var names = new List<string>();
        int depth = 0, start = 0;
        for (int i = 0; i <= only.Length; i++)
        {
            if (i == only.Length || (only[i] == ',' && depth == 0))
            {
                string name = only[start..i].Trim();
                if (name.Length > 0)
                    names.Add(name);
                start = i + 1;
            }
            else if (only[i] == '(')
            {
                depth++;
            }
            else if (only[i] == ')')
            {
                depth = Math.Max(0, depth - 1);
            }
        }
        if (names.FirstOrDefault(n => Configs.All(c => c.Name != n)) is string unknown)
            throw new UsageException($"--only: no configuration is named '{unknown}' (the names: {string.Join(", ", Configs.Select(c => c.Name))}).");
        return [.. Configs.Where(c => names.Contains(c.Name))];
    }

    public DepthResults Run()
    {
        var clock = Stopwatch.StartNew();
        var configs = Select(options.Only);
        var all = CsvDataset.Load(options.DataPath, new CsvLoadOptions { Target = options.Target });
        if (all.Task != TaskKind.Classification)
            throw new UsageException($"{options.DataPath}: the depth experiment measures test accuracy; '{all.TargetName}' is not a classification target (give --target).");
        var separateTest = options.TestPath is null ? null
            : CsvDataset.Load(options.TestPath, new CsvLoadOptions { Target = all.TargetName, Task = TaskKind.Classification, ClassNames = all.ClassNames });
        log.WriteLine($"loaded {all.Features.Rows} rows{(separateTest is null ? "" : $" and {separateTest.Features.Rows} test rows")} in {clock.Elapsed.TotalSeconds:F1} s");

        var runs = new List<DepthRun>();
        Matrix<float>? firstCalibration = null;
        int trainRows = 0;
        foreach (ulong seed in options.Seeds)
        {
            var (train, test) = Prepare(all, separateTest, seed);
            // The calibration batch for statistics and LSUV: the first 1000 training rows; held out: the first 1000 test rows.
            var calibration = Lsuv.CalibrationBatch(train.Features);
            var heldOut = Lsuv.CalibrationBatch(test.Features);
            firstCalibration ??= calibration;
            trainRows = train.Features.Rows;
            foreach (int depth in options.Depths)
            {
                foreach (var config in configs)
                    runs.Add(RunOne(config, depth, seed, train, test, calibration, heldOut));
            }
        }
        var width = options.WidthNetworks > 0 ? WidthStudy(configs, firstCalibration!, all.ClassCount) : [];
        string description = separateTest is null
            ? $"{Path.GetFileName(options.DataPath)} (target '{all.TargetName}', {options.TestFraction:P0} held out for testing per seed)"
            : $"{Path.GetFileName(options.DataPath)} with test file {Path.GetFileName(options.TestPath)} (target '{all.TargetName}')";
        return new DepthResults(options, description, all.ClassCount, trainRows, runs, width);
    }

    // Per seed: the test rows (split off unless a test file was given), a stratified training subset, standardization
    // fitted on that subset.
    private (Dataset Train, Dataset Test) Prepare(Dataset all, Dataset? separateTest, ulong seed)
    {
        Dataset train = all, test;
        if (separateTest is null)
            (train, test) = DataSplit.TrainTest(all, options.TestFraction, seed + 1000, stratify: true);
        else
            test = separateTest;
        if (options.TrainRows < train.Features.Rows)
            train = DataSplit.TrainTest(train, 1 - (double)options.TrainRows / train.Features.Rows, seed, stratify: true).Train;
        var scaler = new StandardScaler();
        scaler.Fit(train.Features);
        return (Scaled(train, scaler), Scaled(test, scaler));
    }

    private DepthRun RunOne(DepthConfig config, int depth, ulong seed, Dataset train, Dataset test, Matrix<float> calibration, Matrix<float> heldOut)
    {
        var clock = Stopwatch.StartNew();
        var model = Mlp.Create(train.Features.Cols, [.. Enumerable.Repeat(options.Width, depth)], train.ClassCount, config.Activation, config.Init ?? new Orthogonal(), seed, config.NegativeSlope);
        double[] lsuv = [], lsuvHeldOut = [];
        if (config.Init is null)
        {
            lsuv = [.. new Lsuv().Apply(model, calibration, new Rng(seed))];
            lsuvHeldOut = [.. Lsuv.DenseOutputVariances(model, heldOut)];
        }
        double[] std = ActivationStds(model, calibration);

        var trainer = new Trainer(model, new SoftmaxCrossEntropy<float>(), new Sgd<float>(model.Parameters, options.LearningRate, momentum: 0.9),
            new TrainingOptions { Task = TaskKind.Classification, Epochs = options.Epochs, BatchSize = 128, Seed = seed, DeadUnitProbe = calibration });
        var history = trainer.Fit(train, test);
        var run = new DepthRun(config, depth, seed, std, lsuv, lsuvHeldOut, history.Epochs, history.StopReason == StopReason.Diverged, clock.Elapsed.TotalSeconds);
        log.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"seed {seed} depth {depth,2} {config.Name,-32} std first {std[0]:G3} last {std[^1]:G3}  test acc {run.FinalAccuracy:F4}  {run.Seconds:F1} s{(run.Diverged ? "  (diverged)" : "")}"));
        return run;
    }

    // The std of every hidden activation layer's output on the batch.
    private static double[] ActivationStds(Sequential<float> model, Matrix<float> batch) =>
        [.. Inspector.Inspect(model, batch).Where((r, i) => model.Layers[i] is IActivationLayer).Select(r => r.OutputStd)];

    // Fresh networks of WidthDepth × Width per configuration with a closed-form prediction, initialization only: the
    // ratio of last to first hidden activation std on the first seed's calibration batch. Networks are independent, so
    // they are built on both cores; each has its own seed, so the result does not depend on the scheduling.
    private List<WidthSample> WidthStudy(IReadOnlyList<DepthConfig> configs, Matrix<float> calibration, int classes)
    {
        var clock = Stopwatch.StartNew();
        var batch = Lsuv.CalibrationBatch(calibration, options.WidthBatchRows);
        var samples = new List<WidthSample>();
        foreach (var config in configs)
        {
            // Uniform(±0.05) ends ~10⁻¹⁵ below its first layer: true to the prediction, but it would flatten every other box.
            if (config.PredictedRatio(options.Width, options.WidthDepth) is not double predicted || config.Init is Uniform)
                continue;
            var ratios = new double[options.WidthNetworks];
            Parallel.For(0, ratios.Length, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, k =>
            {
                var model = Mlp.Create(batch.Cols, [.. Enumerable.Repeat(options.Width, options.WidthDepth)], classes, config.Activation, config.Init, 10_000 + (ulong)k, config.NegativeSlope);
                double[] std = ActivationStds(model, batch);
                ratios[k] = std[^1] / std[0];
            });
            samples.Add(new WidthSample(config, options.Width, options.WidthDepth, ratios, predicted));
        }
        log.WriteLine($"finite width: {options.WidthNetworks} networks of {options.WidthDepth}×{options.Width} per initializer in {clock.Elapsed.TotalSeconds:F1} s");
        return samples;
    }

    private static Dataset Scaled(Dataset data, Scaler scaler)
    {
        var x = data.Features.Clone();
        scaler.Transform(x);
        return data.With(x, data.Targets);
    }
}

/// <summary>Settings of <see cref="DepthExperiment"/>; the defaults are those of the published run (docs/depth).</summary>
internal sealed record DepthExperimentOptions
{
    public required string DataPath { get; init; }
    public string? TestPath { get; init; }
    public double TestFraction { get; init; } = 0.2;
    public string? Target { get; init; }
    public int[] Depths { get; init; } = [10, 30];
    public int Width { get; init; } = 256;
    public int TrainRows { get; init; } = 20000;
    public int Epochs { get; init; } = 3;
    public double LearningRate { get; init; } = 0.01;
    public ulong[] Seeds { get; init; } = [1, 2, 3];
    public string? Only { get; init; }
    public int WidthNetworks { get; init; } = 100;
    public int WidthDepth { get; init; } = 30;
    public int WidthBatchRows { get; init; } = 256;
}
