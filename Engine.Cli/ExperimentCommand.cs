using System.Diagnostics;
using Engine.Cli.Experiments;

namespace Engine.Cli;

/// <summary>
/// <c>mlp experiment depth</c>: the initialization-versus-depth experiment over several seeds, on Fashion-MNIST (when
/// its files are found) or any CSV with a classification target.
/// </summary>
internal static class ExperimentCommand
{
    internal const string FashionTrain = "../shared/datasets/fashion-mnist-train.csv.gz";
    internal const string FashionTest = "../shared/datasets/fashion-mnist-test.csv.gz";

    public static Command Create()
    {
        var data = new Option<string?>("--data") { Description = $"Training CSV (default: Fashion-MNIST at {FashionTrain}, with its test file)." };
        var target = new Option<string?>("--target") { Description = "Target column of --data (default: the last column; 'label' for Fashion-MNIST)." };
        var testFile = new Option<string?>("--test-file") { Description = "Separate test CSV (default with --data: split --test-fraction off per seed)." };
        var testFraction = new Option<double?>("--test-fraction") { Description = "Share of --data held out for testing when there is no test file [0.2]." };
        var depths = new Option<string?>("--depths") { Description = "Comma-separated numbers of hidden layers [10,30; --quick: 20]." };
        var rows = new Option<int?>("--train-rows") { Description = "Training subset size [20000; --quick: 5000]." };
        var epochs = new Option<int>("--epochs") { Description = "Epochs per run.", DefaultValueFactory = _ => 3 };
        var seeds = new Option<string?>("--seeds") { Description = "Comma-separated seeds; every figure is reported over them [1,2,3; --quick: 1]." };
        var only = new Option<string?>("--only") { Description = "Run only these configurations: whole names, comma-separated (e.g. relu/he-normal,relu/lsuv)." };
        var networks = new Option<int?>("--width-networks") { Description = "Fresh networks per initializer for the finite-width figure (0: skip) [100; --quick: 20]." };
        var quick = new Option<bool>("--quick") { Description = "A first look in about a minute: one depth (20), 5000 training rows, one seed, 20 networks for the finite-width figure." };
        var output = new Option<string>("--out-dir") { Description = "Folder for CSV, Markdown and PNG results.", DefaultValueFactory = _ => "experiments/depth" };
        var depth = new Command("depth", "Train plain MLPs of growing depth from several initializations over several seeds; write tables and plots with their spread.")
        {
            data, target, testFile, testFraction, depths, rows, epochs, seeds, only, networks, quick, output,
        };
        depth.SetAction(parse =>
        {
            var clock = Stopwatch.StartNew();
            bool fast = parse.GetValue(quick);
            string? dataPath = parse.GetValue(data), testPath = parse.GetValue(testFile), targetName = parse.GetValue(target);
            double? fraction = parse.GetValue(testFraction);
            if (testPath is not null && fraction is not null)
                throw new UsageException("give --test-file or --test-fraction, not both.");
            if (fraction is double f && !(f > 0 && f < 1))
                throw new UsageException(FormattableString.Invariant($"--test-fraction must be in (0, 1), got {f}."));
            if (dataPath is null)
            {
                if (testPath is not null || fraction is not null || targetName is not null)
                    throw new UsageException("--target, --test-file and --test-fraction go with --data FILE.csv.");
                if (!File.Exists(FashionTrain) || !File.Exists(FashionTest))
                    throw new UsageException($"Fashion-MNIST, the default data, is not at {Path.GetFullPath(FashionTrain)} (and -test.csv.gz); "
                        + "run from the repository's folder next to ../shared, or point the experiment at any CSV: --data FILE.csv --target COLUMN [--test-file F | --test-fraction X].");
                (dataPath, testPath, targetName) = (FashionTrain, FashionTest, "label");
            }
            var options = new DepthExperimentOptions
            {
                DataPath = dataPath,
                TestPath = testPath,
                TestFraction = fraction ?? 0.2,
                Target = targetName,
                Depths = parse.GetValue(depths) is string d ? Names.ParseHidden(d) : fast ? [20] : [10, 30],
                TrainRows = parse.GetValue(rows) ?? (fast ? 5000 : 20000),
                Epochs = parse.GetValue(epochs),
                Seeds = parse.GetValue(seeds) is string s ? ParseSeeds(s) : fast ? [1] : [1, 2, 3],
                Only = parse.GetValue(only),
                WidthNetworks = parse.GetValue(networks) ?? (fast ? 20 : 100),
            };
            if (options.Depths.Length == 0)
                throw new UsageException("--depths: give at least one depth.");
            if (options.TrainRows < 2 || options.Epochs < 1 || options.WidthNetworks < 0)
                throw new UsageException("--train-rows must be at least 2, --epochs at least 1 and --width-networks at least 0.");
            DepthExperiment.Select(options.Only); // an unknown name fails before the data loads
            var results = new DepthExperiment(options, Console.Out).Run();
            string folder = parse.GetValue(output)!;
            double seconds = clock.Elapsed.TotalSeconds;
            DepthReport.Write(results, folder, seconds);
            Console.WriteLine();
            Console.Write(DepthReport.Summary(results, seconds));
            Console.WriteLine($"Results in {folder}/ ({string.Join(", ", DepthReport.Files)}).");
            return CliRunner.Ok;
        });
        return new Command("experiment", "Reproducible experiments.") { depth };
    }

    private static ulong[] ParseSeeds(string text)
    {
        var parts = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var seeds = new ulong[parts.Length];
        for (int i = 0; i < parts.Length; i++)
        {
            if (!ulong.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out seeds[i]))
                throw new UsageException($"--seeds: '{parts[i]}' is not a seed (expected e.g. 1,2,3).");
        }
        if (seeds.Length == 0 || seeds.Distinct().Count() != seeds.Length)
            throw new UsageException($"--seeds: give one or more distinct seeds, got '{text}'.");
        return seeds;
    }
}
