using System.Diagnostics;
using Engine.Cli.Experiments;

namespace Engine.Cli;

/// <summary><c>mlp experiment depth</c>: the initialization-versus-depth experiment on Fashion-MNIST.</summary>
internal static class ExperimentCommand
{
    public static Command Create()
    {
        var train = new Option<string>("--train") { Description = "Fashion-MNIST training CSV.", DefaultValueFactory = _ => "../shared/datasets/fashion-mnist-train.csv.gz" };
        var test = new Option<string>("--test") { Description = "Fashion-MNIST test CSV.", DefaultValueFactory = _ => "../shared/datasets/fashion-mnist-test.csv.gz" };
        var depths = new Option<string>("--depths") { Description = "Comma-separated numbers of hidden layers.", DefaultValueFactory = _ => "10,20,30" };
        var rows = new Option<int>("--train-rows") { Description = "Training subset size.", DefaultValueFactory = _ => 20000 };
        var epochs = new Option<int>("--epochs") { Description = "Epochs per run.", DefaultValueFactory = _ => 3 };
        var seed = new Option<ulong>("--seed") { Description = "Seed.", DefaultValueFactory = _ => 1 };
        var only = new Option<string?>("--only") { Description = "Run only configurations whose name contains this text (e.g. relu/)." };
        var output = new Option<string>("--out-dir") { Description = "Folder for CSV, Markdown and PNG results.", DefaultValueFactory = _ => "experiments/depth" };
        var depth = new Command("depth", "Train plain MLPs of growing depth from several initializations; write tables and plots.")
        {
            train, test, depths, rows, epochs, seed, only, output,
        };
        depth.SetAction(parse =>
        {
            var clock = Stopwatch.StartNew();
            var options = new DepthExperimentOptions
            {
                TrainPath = parse.GetValue(train)!,
                TestPath = parse.GetValue(test)!,
                Depths = Names.ParseHidden(parse.GetValue(depths)!),
                TrainRows = parse.GetValue(rows),
                Epochs = parse.GetValue(epochs),
                Seed = parse.GetValue(seed),
                Only = parse.GetValue(only),
            };
            var runs = new DepthExperiment(options, Console.Out).Run();
            string folder = parse.GetValue(output)!;
            DepthReport.Write(runs, folder, clock.Elapsed.TotalSeconds);
            Console.WriteLine();
            Console.Write(DepthReport.Summary(runs, clock.Elapsed.TotalSeconds));
            Console.WriteLine($"Results in {folder}/ (summary.md, activation_std.csv, history.csv, activation_std.png, accuracy.png).");
            return CliRunner.Ok;
        });
        return new Command("experiment", "Reproducible experiments.") { depth };
    }
}
