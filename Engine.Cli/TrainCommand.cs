using System.CommandLine;
using System.Diagnostics;
using Engine.Data;
using Engine.Initializers;
using Engine.Training;

namespace Engine.Cli;

/// <summary><c>mlp train &lt;csv&gt;</c>: load, split, train, report test metrics, save the model.</summary>
internal static class TrainCommand
{
    public static Command Create()
    {
        var csv = new Argument<string>("csv") { Description = "Training data: CSV with a header row (.csv or .csv.gz)." };
        var target = new Option<string?>("--target") { Description = "Target column name (default: the last column)." };
        var features = new Option<string?>("--features") { Description = "Comma-separated feature columns (default: all but the target)." };
        var task = new Option<string?>("--task") { Description = "classification or regression (default: detected from the target)." };
        task.AcceptOnlyFromAmong("classification", "regression");
        var hidden = new Option<string>("--hidden") { Description = "Hidden layer widths, comma-separated; 'none' for a linear model.", DefaultValueFactory = _ => "64,64" };
        var activation = new Option<string>("--activation") { Description = "Hidden activation.", DefaultValueFactory = _ => "relu" };
        activation.AcceptOnlyFromAmong(Names.Activations);
        var slope = new Option<double>("--negative-slope") { Description = "Leaky ReLU slope.", DefaultValueFactory = _ => 0.01 };
        var init = new Option<string?>("--init") { Description = "Weight initializer: he-normal, he-uniform, xavier-normal, xavier-uniform, lecun-normal, lecun-uniform, uniform, normal, truncated-normal, orthogonal (default: follows the activation)." };
        var epochs = new Option<int>("--epochs") { Description = "Passes over the training data.", DefaultValueFactory = _ => 100 };
        var batchSize = new Option<int>("--batch-size") { Description = "Rows per mini-batch.", DefaultValueFactory = _ => 32 };
        var optimizer = new Option<string>("--optimizer") { Description = "sgd, adam or adamw.", DefaultValueFactory = _ => "adamw" };
        optimizer.AcceptOnlyFromAmong("sgd", "adam", "adamw");
        var lr = new Option<double?>("--lr") { Description = "Learning rate (default: 0.001 for adam/adamw, 0.01 for sgd)." };
        var momentum = new Option<double>("--momentum") { Description = "SGD momentum.", DefaultValueFactory = _ => 0.9 };
        var nesterov = new Option<bool>("--nesterov") { Description = "Use Nesterov momentum (sgd)." };
        var weightDecay = new Option<double?>("--weight-decay") { Description = "Weight decay (decoupled for adamw; default 1.0 for adamw, 0 for sgd and adam)." };
        var schedule = new Option<string>("--schedule") { Description = "Learning-rate schedule: constant, cosine or step.", DefaultValueFactory = _ => "constant" };
        schedule.AcceptOnlyFromAmong("constant", "cosine", "step");
        var warmup = new Option<double>("--warmup") { Description = "Linear warm-up epochs before the schedule.", DefaultValueFactory = _ => 0 };
        var seed = new Option<ulong>("--seed") { Description = "Seed for the split, the initial weights and the shuffling.", DefaultValueFactory = _ => 0 };
        var testFraction = new Option<double>("--test-fraction") { Description = "Share of rows held out for the test metrics.", DefaultValueFactory = _ => 0.2 };
        var testFile = new Option<string?>("--test-file") { Description = "Separate test CSV (then all rows of <csv> train)." };
        var validationFraction = new Option<double?>("--validation-fraction") { Description = "Share of training rows for validation (default 0, or 0.1 with --patience)." };
        var patience = new Option<int?>("--patience") { Description = "Early stopping: epochs without a lower validation loss." };
        var scaler = new Option<string>("--scaler") { Description = "Feature scaling fitted on the training rows: standard, minmax or none.", DefaultValueFactory = _ => "standard" };
        scaler.AcceptOnlyFromAmong("standard", "minmax", "none");
        var smoothing = new Option<double>("--label-smoothing") { Description = "Label smoothing for classification.", DefaultValueFactory = _ => 0 };
        var output = new Option<string?>("--out") { Description = "Model file to write (default: <csv name>.mlp in the current folder)." };
        var json = new Option<bool>("--json") { Description = "Print one JSON object with the results instead of tables." };

        var command = new Command("train", "Train a model on a CSV file, print its test metrics and save it.")
        {
            csv, target, features, task, hidden, activation, slope, init, epochs, batchSize, optimizer, lr, momentum,
            nesterov, weightDecay, schedule, warmup, seed, testFraction, testFile, validationFraction, patience, scaler,
            smoothing, output, json,
        };
        command.SetAction(parse =>
        {
            string csvPath = parse.GetValue(csv)!;
            var loadOptions = new CsvLoadOptions
            {
                Target = parse.GetValue(target),
                Features = Names.SplitList(parse.GetValue(features)),
                Task = Names.ParseTask(parse.GetValue(task)),
            };
            var fit = new FitOptions
            {
                Hidden = Names.ParseHidden(parse.GetValue(hidden)!),
                Activation = Names.ParseActivation(parse.GetValue(activation)!),
                NegativeSlope = parse.GetValue(slope),
                Initializer = parse.GetValue(init) is string initName ? Initializer.Parse(initName) : null,
                Epochs = parse.GetValue(epochs),
                BatchSize = parse.GetValue(batchSize),
                Optimizer = Names.ParseOptimizer(parse.GetValue(optimizer)!),
                LearningRate = parse.GetValue(lr),
                Momentum = parse.GetValue(momentum),
                Nesterov = parse.GetValue(nesterov),
                WeightDecay = parse.GetValue(weightDecay),
                Schedule = parse.GetValue(schedule)!,
                WarmupEpochs = parse.GetValue(warmup),
                Seed = parse.GetValue(seed),
                TestFraction = parse.GetValue(testFraction),
                ValidationFraction = parse.GetValue(validationFraction),
                Patience = parse.GetValue(patience),
                Scaler = parse.GetValue(scaler)!,
                LabelSmoothing = parse.GetValue(smoothing),
            };
            string modelPath = parse.GetValue(output) ?? Names.DefaultModelPath(csvPath);
            bool asJson = parse.GetValue(json);

            var clock = Stopwatch.StartNew();
            var data = CsvDataset.Load(csvPath, loadOptions);
            Dataset? test = null;
            if (parse.GetValue(testFile) is string testPath)
                test = CsvDataset.Load(testPath, loadOptions with { Task = data.Task, Features = data.FeatureNames, Target = data.TargetName, ClassNames = data.ClassNames });
            double loadSeconds = clock.Elapsed.TotalSeconds;

            var report = new TrainingReport(asJson);
            var result = report.Run(fit, progress => TabularModel.Fit(data, fit, test, progress));
            result.Model.Save(modelPath);
            report.PrintResult(result, data, modelPath, loadSeconds);
            if (result.History.StopReason == StopReason.Diverged)
            {
                Console.Error.WriteLine($"mlp: {result.History.Message} The last good weights were saved to {modelPath}.");
                return CliRunner.Failure;
            }
            return CliRunner.Ok;
        });
        return command;
    }
}
