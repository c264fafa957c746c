using System.Diagnostics;
using System.Text;
using Engine.Diagnostics;

namespace Engine.Cli.Experiments;

/// <summary>One network configuration of the depth experiment.</summary>
/// <param name="Name">Label in tables and plots, e.g. "relu/he-normal".</param>
/// <param name="Activation">Hidden activation.</param>
/// <param name="Init">Weight initializer, or null for LSUV.</param>
/// <param name="NegativeSlope">Leaky ReLU's slope (PReLU starts at 0.25).</param>
internal sealed record DepthConfig(string Name, Activation Activation, IInitializer? Init, double NegativeSlope = 0.2);

/// <summary>What one run measured.</summary>
internal sealed record DepthRun(DepthConfig Config, int Depth, double[] ActivationStd, double[] LsuvVariance, IReadOnlyList<EpochResult> Epochs, double Seconds)
{
    public double FinalAccuracy => Epochs.Count == 0 ? double.NaN : Epochs[^1].Validation?.Accuracy ?? double.NaN;
}

/// <summary>
/// He et al. (2015) made measurable: plain ReLU MLPs of width 256 and growing depth, initialized several
/// ways, trained briefly with SGD on standardized Fashion-MNIST. Records per-layer activation std at
/// initialization and per-epoch training loss and test accuracy.
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

    public List<DepthRun> Run()
    {
        var clock = Stopwatch.StartNew();
        var train = CsvDataset.Load(options.TrainPath, new CsvLoadOptions { Target = "label" });
        var test = CsvDataset.Load(options.TestPath, new CsvLoadOptions { Target = "label", Task = TaskKind.Classification, ClassNames = train.ClassNames });
        train = DataSplit.TrainTest(train, 1 - (double)options.TrainRows / train.Features.Rows, options.Seed, stratify: true).Train;
        var scaler = new StandardScaler();
        scaler.Fit(train.Features);
        train = Scaled(train, scaler);
        test = Scaled(test, scaler);
        log.WriteLine($"loaded {train.Features.Rows} training and {test.Features.Rows} test rows in {clock.Elapsed.TotalSeconds:F1} s");

        // The calibration batch for statistics and LSUV: the first 1000 training rows.
        var calibration = train.Subset([.. Enumerable.Range(0, Math.Min(1000, train.Features.Rows))]).Features;
        var runs = new List<DepthRun>();
        foreach (int depth in options.Depths)
        {
            foreach (var config in Configs.Where(c => options.Only is null || c.Name.Contains(options.Only, StringComparison.Ordinal)))
                runs.Add(RunOne(config, depth, train, test, calibration));
        }
        return runs;
    }

    private DepthRun RunOne(DepthConfig config, int depth, Dataset train, Dataset test, Matrix<float> calibration)
    {
        var clock = Stopwatch.StartNew();
        var model = Mlp.Create(train.Features.Cols, [.. Enumerable.Repeat(options.Width, depth)], 10, config.Activation, config.Init ?? new Orthogonal(), options.Seed, config.NegativeSlope);
        double[] lsuv = [];
        if (config.Init is null)
            lsuv = [.. new Lsuv().Apply(model, calibration, new Rng(options.Seed))];
        double[] std = [.. Inspector.Inspect(model, calibration).Where(r => r.Layer is not ("Dense" or "Identity") && !r.Layer.StartsWith("Dense", StringComparison.Ordinal)).Select(r => r.OutputStd)];

        var trainer = new Trainer(model, new SoftmaxCrossEntropy<float>(), new Sgd<float>(model.Parameters, options.LearningRate, momentum: 0.9),
            new TrainingOptions { Task = TaskKind.Classification, Epochs = options.Epochs, BatchSize = 128, Seed = options.Seed, DeadUnitProbe = calibration });
        var history = trainer.Fit(train, test);
        var run = new DepthRun(config, depth, std, lsuv, history.Epochs, clock.Elapsed.TotalSeconds);
        log.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"depth {depth,2} {config.Name,-32} std first {std[0]:G3} last {std[^1]:G3}  test acc {run.FinalAccuracy:F4}  {run.Seconds:F1} s{(history.StopReason == StopReason.Diverged ? "  (diverged)" : "")}"));
        return run;
    }

    private static Dataset Scaled(Dataset data, Scaler scaler)
    {
        var x = data.Features.Clone();
        scaler.Transform(x);
        return data.With(x, data.Targets);
    }
}

/// <summary>Settings of <see cref="DepthExperiment"/>; the defaults are the ones issue #5 asks for.</summary>
internal sealed record DepthExperimentOptions
{
    public required string TrainPath { get; init; }
    public required string TestPath { get; init; }
    public int[] Depths { get; init; } = [10, 20, 30];
    public int Width { get; init; } = 256;
    public int TrainRows { get; init; } = 20000;
    public int Epochs { get; init; } = 3;
    public double LearningRate { get; init; } = 0.01;
    public ulong Seed { get; init; } = 1;
    public string? Only { get; init; }
}
