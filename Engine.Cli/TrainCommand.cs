using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Engine.Cli;

/// <summary>
/// <c>mlp train &lt;csv&gt;</c>: load, split, train, report test metrics, save the model.
/// <c>--checkpoint-every N</c> writes &lt;out&gt;.ckpt every N epochs; Ctrl-C finishes the current step, writes
/// &lt;out&gt;.ckpt and exits 130; <c>mlp train --resume &lt;out&gt;.ckpt</c> continues bit-identically, taking the
/// data and every training option from the checkpoint (only --out, --json, --epochs and --checkpoint-every
/// may be given with it; a larger --epochs extends the run).
/// </summary>
internal static class TrainCommand
{
    private static readonly FitOptions Defaults = new();

    public static Command Create()
    {
        var csv = new Argument<string?>("csv") { Description = "Training data: CSV with a header row (.csv or .csv.gz; - for standard input); not with --resume.", Arity = ArgumentArity.ZeroOrOne };
        var target = new Option<string?>("--target") { Description = "Target column name (default: the last column)." };
        var features = new Option<string?>("--features") { Description = "Comma-separated feature columns (default: all but the target)." };
        var task = new Option<string?>("--task") { Description = "classification or regression (default: detected from the target)." };
        task.AcceptOnlyFromAmong("classification", "regression");
        var hidden = new Option<string>("--hidden") { Description = "Hidden layer widths, comma-separated; 'none' for a linear model.", DefaultValueFactory = _ => string.Join(",", Defaults.Hidden) };
        var activation = new Option<string>("--activation") { Description = "Hidden activation.", DefaultValueFactory = _ => "relu" };
        activation.AcceptOnlyFromAmong(Names.Activations);
        var slope = new Option<double>("--negative-slope") { Description = "Leaky ReLU slope.", DefaultValueFactory = _ => 0.01 };
        var init = new Option<string?>("--init") { Description = $"Weight initializer: {string.Join(", ", Initializer.Names)}, or lsuv (orthogonal, then rescaled on training rows) (default: follows the activation)." };
        init.AcceptOnlyFromAmong([.. Initializer.Names, "lsuv"]);
        var lsuvTolerance = new Option<double>("--lsuv-tolerance") { Description = "With --init lsuv: |variance − 1| each layer's output must reach on the calibration rows.", DefaultValueFactory = _ => Lsuv.PaperTolerance };
        var epochs = new Option<int>("--epochs") { Description = "Passes over the training data.", DefaultValueFactory = _ => Defaults.Epochs };
        var batchSize = new Option<int>("--batch-size") { Description = "Rows per mini-batch.", DefaultValueFactory = _ => Defaults.BatchSize };
        var optimizer = new Option<string>("--optimizer") { Description = "sgd, adam or adamw.", DefaultValueFactory = _ => "adamw" };
        optimizer.AcceptOnlyFromAmong("sgd", "adam", "adamw");
        var lr = new Option<double?>("--lr") { Description = "Learning rate (default: 0.001 for adam/adamw, 0.01 for sgd)." };
        var momentum = new Option<double>("--momentum") { Description = "SGD momentum.", DefaultValueFactory = _ => 0.9 };
        var nesterov = new Option<bool>("--nesterov") { Description = "Use Nesterov momentum (sgd)." };
        var weightDecay = new Option<double?>("--weight-decay") { Description = "Weight decay (decoupled for adamw; default for adamw 0.1 for classification and 5 for regression, 0 for sgd and adam)." };
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
        var categorical = new Option<string?>("--categorical") { Description = "Comma-separated columns to read as categories even if they look numeric (e.g. zip codes)." };
        var numeric = new Option<string?>("--numeric") { Description = "Comma-separated columns to read as numbers (a text value in them is then an error)." };
        var drop = new Option<string?>("--drop") { Description = "Comma-separated columns to ignore." };
        var naValues = new Option<string?>("--na-values") { Description = $"Comma-separated missing-value markers, replacing the default list (empty, {string.Join(", ", TableOptions.DefaultNaValues.Where(v => v.Length > 0))})." };
        var minLevelCount = new Option<int>("--min-level-count") { Description = "Categorical levels on fewer training rows share an 'other' input.", DefaultValueFactory = _ => Defaults.MinLevelCount };
        var lookup = new Option<string>("--lookup") { Description = "auto, on or off: read categorical columns in the first layer as a lookup of their levels' weights (the same function as the one-hot product; auto: for 256+ one-hot inputs averaging 16+ per column).", DefaultValueFactory = _ => "auto" };
        lookup.AcceptOnlyFromAmong("auto", "on", "off");
        var output = new Option<string?>("--out") { Description = "Model file to write (default: <csv name>.mlp in the current folder)." };
        var json = new Option<bool>("--json") { Description = "Print one JSON object with the results instead of tables." };
        var clip = new Option<double?>("--clip-grad-norm") { Description = "Clip the gradients' global L2 norm to this value before each step." };
        var checkpointEvery = new Option<int?>("--checkpoint-every") { Description = "Write <out>.ckpt every N epochs (Ctrl-C always writes it)." };
        var resume = new Option<string?>("--resume") { Description = "Continue the run saved in this checkpoint (data and options come from it; --out, --json, --epochs, --checkpoint-every, --data may be given)." };
        var plot = new Option<string?>("--plot") { Description = "Draw the training curves per epoch (loss; accuracy for classification; validation too where there is one) into this PNG file." };
        var quiet = new Option<bool>("--quiet") { Description = "No progress display while training." };
        var data = new Option<string?>("--data") { Description = "With --resume: the training CSV's new place, if it was moved (it must hold the same rows)." };

        var command = new Command("train", "Train a model on a CSV file, print its test metrics and save it.")
        {
            csv, target, features, task, hidden, activation, slope, init, epochs, batchSize, optimizer, lr, momentum,
            nesterov, weightDecay, schedule, warmup, seed, testFraction, testFile, validationFraction, patience, scaler,
            smoothing, categorical, numeric, drop, naValues, minLevelCount, lookup, output, json, clip, checkpointEvery, resume, data,
            lsuvTolerance, plot, quiet,
        };
        // With --resume these come from the checkpoint; giving them is a usage error rather than silently ignored.
        Option[] fixedByCheckpoint = [target, features, task, hidden, activation, slope, init, batchSize, optimizer, lr, momentum,
            nesterov, weightDecay, schedule, warmup, seed, testFraction, testFile, validationFraction, patience, scaler, smoothing, clip,
            categorical, numeric, drop, naValues, minLevelCount, lookup, lsuvTolerance];
        // FitOptions property → the option that sets it, so that a refused value is named as the user typed it.
        var optionFor = new Dictionary<string, Option>
        {
            [nameof(FitOptions.Hidden)] = hidden, [nameof(FitOptions.NegativeSlope)] = slope, [nameof(FitOptions.Epochs)] = epochs,
            [nameof(FitOptions.BatchSize)] = batchSize, [nameof(FitOptions.LearningRate)] = lr, [nameof(FitOptions.Momentum)] = momentum,
            [nameof(FitOptions.WeightDecay)] = weightDecay, [nameof(FitOptions.Schedule)] = schedule, [nameof(FitOptions.WarmupEpochs)] = warmup,
            [nameof(FitOptions.TestFraction)] = testFraction, [nameof(FitOptions.ValidationFraction)] = validationFraction,
            [nameof(FitOptions.Patience)] = patience, [nameof(FitOptions.Scaler)] = scaler, [nameof(FitOptions.LabelSmoothing)] = smoothing,
            [nameof(FitOptions.ClipGradNorm)] = clip, [nameof(FitOptions.CheckpointEvery)] = checkpointEvery,
            [nameof(FitOptions.MinLevelCount)] = minLevelCount,
        };
        command.SetAction(parse =>
        {
            try
            {
                return Run(parse);
            }
            catch (InvalidOptionException e) when (optionFor.TryGetValue(e.Option, out var option))
            {
                throw new UsageException($"{option.Name} {e.Requirement}, got {e.Value}.");
            }
        });
        return command;

        int Run(ParseResult parse)
        {
            bool asJson = parse.GetValue(json);
            bool Given(Option option) => parse.GetResult(option) is { Implicit: false };
            Checkpoint? resumed = null;
            FitOptions fit;
            TableOptions readOptions;
            string dataPath, modelPath;
            string? testPath;
            string? resumePath = parse.GetValue(resume);
            if (resumePath is not null)
            {
                if (parse.GetValue(csv) is not null)
                    throw new UsageException("--resume takes the data from the checkpoint: give no csv argument (--data gives the CSV's new place if it was moved).");
                if (fixedByCheckpoint.FirstOrDefault(Given) is Option extra)
                    throw new UsageException($"--resume continues with the checkpoint's options; only --out, --json, --epochs, --checkpoint-every, --data, --plot and --quiet may be given with it, not {extra.Name}.");
                resumed = CheckpointFile.Load(resumePath);
                fit = resumed.Options with
                {
                    Epochs = Given(epochs) ? parse.GetValue(epochs) : resumed.Options.Epochs,
                    CheckpointEvery = Given(checkpointEvery) ? parse.GetValue(checkpointEvery) : resumed.Options.CheckpointEvery,
                };
                dataPath = parse.GetValue(data) is string moved ? FullPath(moved)
                    : resumed.DataPath ?? throw new UsageException($"{resumePath}: the checkpoint does not name the CSV it was trained on (give it with --data).");
                testPath = resumed.TestPath;
                var m = resumed.Metadata;
                // Checkpoints written before tables had text columns read every feature as a number.
                readOptions = resumed.Read ?? new TableOptions
                {
                    Target = m.TargetName,
                    Features = m.FeatureNames,
                    Numeric = m.FeatureNames,
                    Task = m.Task,
                    ClassNames = m.ClassNames,
                };
                // model.mlp.ckpt resumes into model.mlp (and keeps checkpointing to model.mlp.ckpt).
                modelPath = parse.GetValue(output) ?? (resumePath.EndsWith(".ckpt", StringComparison.Ordinal) ? resumePath[..^5] : resumePath + ".mlp");
            }
            else
            {
                string csvPath = parse.GetValue(csv) ?? throw new UsageException("give the training CSV (or --resume <checkpoint>).");
                if (Given(data))
                    throw new UsageException("--data is for --resume; give the training CSV as the first argument.");
                if (Given(testFile) && Given(testFraction))
                    throw new UsageException("give --test-file or --test-fraction, not both: with --test-file every row of the training CSV trains.");
                readOptions = new TableOptions
                {
                    Target = parse.GetValue(target),
                    Features = Names.SplitList(parse.GetValue(features)),
                    Task = Names.ParseTask(parse.GetValue(task)),
                    Categorical = Names.SplitList(parse.GetValue(categorical)),
                    Numeric = Names.SplitList(parse.GetValue(numeric)),
                    Drop = Names.SplitList(parse.GetValue(drop)),
                    NaValues = parse.GetValue(naValues) is string na ? na.Split(',') : null,
                };
                fit = new FitOptions
                {
                    Hidden = Names.ParseHidden(parse.GetValue(hidden)!),
                    Activation = Names.ParseActivation(parse.GetValue(activation)!),
                    NegativeSlope = parse.GetValue(slope),
                    Initializer = parse.GetValue(init) is string initName && initName != "lsuv" ? Initializer.Parse(initName) : null,
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
                    ClipGradNorm = parse.GetValue(clip),
                    CheckpointEvery = parse.GetValue(checkpointEvery),
                    MinLevelCount = parse.GetValue(minLevelCount),
                    CategoricalLookup = parse.GetValue(lookup) switch { "on" => true, "off" => false, _ => null },
                    Lsuv = parse.GetValue(init) == "lsuv" ? CreateLsuv(parse.GetValue(lsuvTolerance)) : null,
                };
                if (Given(lsuvTolerance) && fit.Lsuv is null)
                    throw new UsageException("--lsuv-tolerance applies to --init lsuv only.");
                dataPath = FullPath(csvPath);
                testPath = parse.GetValue(testFile) is string t ? FullPath(t) : null;
                modelPath = parse.GetValue(output) ?? Names.DefaultModelPath(csvPath == "-" ? "stdin" : csvPath);
            }
            fit.Validate(); // before loading: a bad option should not wait for a large file
            Names.CheckNetworkSize("--hidden", string.Join(",", fit.Hidden), fit.Hidden, inputs: 1, outputs: 1);
            string checkpointPath = modelPath + ".ckpt";
            // Every output, before the long work: writable, and none of the inputs under another name.
            (string, string?)[] inputs = [("the training data", dataPath), ("the test data", testPath)];
            OutputFile.Check("--out", modelPath, [.. inputs, ("the checkpoint being resumed", resumePath)]);
            OutputFile.Check("the checkpoint", checkpointPath, inputs);
            string? plotPath = parse.GetValue(plot);
            if (plotPath is not null)
                OutputFile.Check("--plot", plotPath, [.. inputs, ("the model (--out)", modelPath)]);

            var clock = Stopwatch.StartNew();
            // Compile the training path while the data load, so that the first epoch is not the slow one.
            var warmUp = Task.Run(() => TrainingWarmUp.Run(fit));
            using var dataFile = InputFile.Open(dataPath);
            var table = dataFile.Read(path => DataTable.ReadCsv(path, readOptions));
            warmUp.Wait();
            var report = new TrainingReport(asJson, parse.GetValue(quiet));
            report.PrintSchema(table);
            DataTable? test = null;
            if (testPath is not null)
            {
                using var testInput = InputFile.Open(testPath);
                test = testInput.Read(path => DataTable.ReadCsv(path, SameColumnsAs(table, readOptions)));
            }
            double loadSeconds = clock.Elapsed.TotalSeconds;

            // Ctrl-C, SIGTERM (timeout, containers, schedulers) and SIGHUP (a closed terminal): let the current step
            // finish, then save a checkpoint instead of dying mid-write, and exit 128 + the signal's number. Another
            // signal while that happens says so and is otherwise ignored; a third ends the process the usual way
            // (a temporary file it leaves is removed by the next write to the same path).
            using var interrupt = new CancellationTokenSource();
            int signalNumber = 0, extraSignals = 0;
            void OnSignal(PosixSignalContext context, int number)
            {
                if (interrupt.IsCancellationRequested)
                {
                    if (Interlocked.Increment(ref extraSignals) == 1)
                    {
                        context.Cancel = true;
                        Console.Error.WriteLine("mlp: saving the checkpoint… (once more to quit without it)");
                    }
                    return;
                }
                context.Cancel = true;
                signalNumber = number;
                interrupt.Cancel();
            }
            using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => OnSignal(c, 2));
            using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => OnSignal(c, 15));
            using var sighup = PosixSignalRegistration.Create(PosixSignal.SIGHUP, c => OnSignal(c, 1));
            void SaveCheckpoint(Checkpoint c) => CheckpointFile.Save(checkpointPath, c with { DataPath = dataPath, TestPath = testPath, Read = readOptions });

            var result = report.Run(fit, progress => resumed is null
                ? TabularModel.Fit(table, fit, test, progress, interrupt.Token, SaveCheckpoint)
                : TabularModel.Resume(resumed with { Options = fit }, table, test, progress, interrupt.Token, SaveCheckpoint));
            if (result.Checkpoint is { } stopped)
            {
                SaveCheckpoint(stopped);
                string quoted = checkpointPath.Contains(' ', StringComparison.Ordinal) ? $"\"{checkpointPath}\"" : checkpointPath;
                string by = signalNumber switch { 15 => " by SIGTERM", 1 => " by SIGHUP", _ => "" };
                Console.Error.WriteLine($"mlp: interrupted{by} in epoch {stopped.State.Progress.Epoch + 1} after step {stopped.State.Progress.Step}; checkpoint saved to {checkpointPath}; resume with: mlp train --resume {quoted}");
                return 128 + (signalNumber == 0 ? 2 : signalNumber);
            }
            bool diverged = result.History.StopReason == StopReason.Diverged;
            // A diverged run keeps the weights of its last step with a finite loss; if even those give non-finite
            // outputs on the data, there is no model worth saving.
            bool usable = !diverged || AllFinite(result.Model.Predict(table));
            if (usable)
                result.Model.Save(modelPath);
            report.PrintResult(result, table, usable ? modelPath : null, loadSeconds);
            if (plotPath is not null)
                Plots.Save(Plots.TrainingCurves(result.History.Epochs, $"{Path.GetFileName(table.Source)}: {TrainingReport.Architecture(result.Model.Network)}"), plotPath);
            if (diverged)
            {
                Console.Error.WriteLine(usable
                    ? $"mlp: {result.History.Message} Those weights were saved to {modelPath}."
                    : $"mlp: {result.History.Message} No model was saved: even those weights give non-finite outputs on the training data.");
                return CliRunner.Failure;
            }
            return CliRunner.Ok;
        }
    }

    // "-" (standard input) stays as it is; a file is named by its full path (the checkpoint keeps it).
    private static string FullPath(string path) => path == "-" ? path : Path.GetFullPath(path);

    private static bool AllFinite(Matrix<float> values)
    {
        foreach (float v in values.AsSpan())
        {
            if (!float.IsFinite(v))
                return false;
        }
        return true;
    }

    private static Lsuv CreateLsuv(double tolerance) => tolerance is > 0 and < 1
        ? new Lsuv(tolerance)
        : throw new UsageException(FormattableString.Invariant($"--lsuv-tolerance must be in (0, 1), got {tolerance}."));

    // A test file is read as the training file was: the same columns with the same kinds, the same classes.
    private static TableOptions SameColumnsAs(DataTable data, TableOptions read) => read with
    {
        Target = data.TargetName,
        Features = [.. data.Columns.Where(c => c.Kind != ColumnKind.Dropped).Select(c => c.Name)],
        Numeric = [.. data.NumericColumns.Select(c => c.Name)],
        Categorical = [.. data.CategoricalColumns.Select(c => c.Name)],
        Drop = null,
        Task = data.Task,
        ClassNames = data.ClassNames,
    };
}
