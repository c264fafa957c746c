using Engine.Diagnostics;

namespace Engine.Cli;

/// <summary>
/// <c>mlp inspect &lt;model-or-architecture&gt; &lt;csv&gt;</c>: per-layer activation and gradient statistics on a
/// batch, for a saved model or for a freshly initialized architecture such as <c>256x20:relu:xavier-normal</c>, then the
/// advisor's verdicts (<see cref="Advisor"/>): vanishing or exploding signal, dead or saturated units, an initializer
/// that does not fit the activation.
/// </summary>
internal static class InspectCommand
{
    public static Command Create()
    {
        var subject = new Argument<string>("model-or-architecture")
        {
            Description = "A model file, or an architecture 'HIDDEN[:ACTIVATION[:INIT]]', e.g. 64,64:relu or 256x20:relu:xavier-normal (20 layers of 256); INIT may be lsuv.",
        };
        var csv = new Argument<string>("csv") { Description = "Data to run through the model (features scaled as the model does; standardized for an architecture)." };
        var target = new Option<string?>("--target") { Description = "Target column, as in train (default: the last column; a model reads the target it was trained on)." };
        var rows = new Option<int>("--rows") { Description = "Batch size: the first N rows.", DefaultValueFactory = _ => 1000 };
        var seed = new Option<ulong>("--seed") { Description = "Seed for an architecture's initial weights.", DefaultValueFactory = _ => 0 };
        var command = new Command("inspect", "Print per-layer activation std, dead-unit fraction and gradient std on a batch.") { subject, csv, target, rows, seed };
        command.SetAction(parse =>
        {
            string what = parse.GetValue(subject)!;
            string csvPath = parse.GetValue(csv)!;
            int n = parse.GetValue(rows);
            if (n < 2)
                throw new UsageException($"--rows must be at least 2, got {n}.");
            Sequential<float> network;
            Dataset batch;
            string? initName = null;
            (IReadOnlyList<double> Calibration, IReadOnlyList<double> HeldOut, int Rows)? lsuv = null;
            if (File.Exists(what))
            {
                var model = TabularModel.Load(what);
                if (parse.GetValue(target) is string t && t != model.Metadata.TargetName)
                    throw new UsageException($"--target: the model was trained to predict '{model.Metadata.TargetName}', not '{t}'.");
                var data = model.ReadCsv(csvPath, withTarget: true);
                batch = model.Prepare(data.Subset([.. Enumerable.Range(0, Math.Min(n, data.Count))]));
                network = model.Network;
            }
            else
            {
                if (what.EndsWith(".mlp", StringComparison.OrdinalIgnoreCase) || what.EndsWith(".safetensors", StringComparison.OrdinalIgnoreCase) || what.Contains('/', StringComparison.Ordinal))
                    throw new FileNotFoundException($"{what}: model file not found (nor is it an architecture such as 64,64:relu).", what);
                // As train reads it: --target names the target column, by default the last one.
                var data = CsvDataset.Load(csvPath, new CsvLoadOptions { Target = parse.GetValue(target) });
                var scaler = new StandardScaler();
                scaler.Fit(data.Features);
                var x = data.Features.Clone();
                scaler.Transform(x);
                var all = data.With(x, data.Targets);
                initName = InitializerOf(what);
                network = ParseArchitecture(what, data.Features.Cols, data.Task == TaskKind.Classification ? data.ClassCount : 1, parse.GetValue(seed));
                if (initName == "lsuv")
                {
                    // Calibrate on a seeded random share of the rows and inspect others: the variance reached is then also
                    // measured on rows LSUV never saw (files are often sorted, so not simply the last rows).
                    int count = all.Features.Rows;
                    int calibrationRows = Math.Min(Lsuv.CalibrationRows, count / 2);
                    if (calibrationRows < 2)
                        throw new UsageException($"{csvPath}: LSUV needs at least 4 rows (half to calibrate on, half to inspect), got {count}.");
                    var (rest, calibrationSet) = DataSplit.TrainTest(all, (double)calibrationRows / count, parse.GetValue(seed), stratify: false);
                    var calibration = calibrationSet.Features;
                    batch = First(rest, n);
                    var reached = new Lsuv(Lsuv.PaperTolerance).Rescale(network, calibration);
                    lsuv = (reached, Lsuv.DenseOutputVariances(network, batch.Features), calibration.Rows);
                }
                else
                {
                    batch = First(all, n);
                }
            }
            Loss<float> loss = batch.Task == TaskKind.Classification ? new SoftmaxCrossEntropy<float>() : new MeanSquaredError<float>();
            var reports = Inspector.Inspect(network, batch.Features, loss, batch.Targets);
            Print(reports, batch.Features.Rows);
            if (lsuv is var (calibrated, heldOut, calibratedOn))
            {
                Console.WriteLine($"LSUV (tolerance {Lsuv.PaperTolerance}): output variance of each dense layer on the {calibratedOn} calibration rows (a random share): {Join(calibrated)}");
                Console.WriteLine($"  on the {batch.Features.Rows} inspected rows (held out from calibration): {Join(heldOut)}");
            }
            var verdicts = Advisor.Advise(network, reports, batch.Features.Rows, initName);
            if (verdicts.Count == 0)
                Console.WriteLine("No problem found: the activations keep their scale, no layer is mostly dead or saturated.");
            foreach (var verdict in verdicts)
                Console.WriteLine(verdict.Message);
            return CliRunner.Ok;
        });
        return command;
    }

    private static string Join(IReadOnlyList<double> values) => string.Join(" ", values.Select(v => v.ToString("F3", CultureInfo.InvariantCulture)));

    /// <summary>The INIT part of an architecture "HIDDEN:ACTIVATION:INIT", or null.</summary>
    private static string? InitializerOf(string spec) => spec.Split(':') is { Length: 3 } parts ? parts[2].Trim().ToLowerInvariant() : null;

    /// <summary>"256x20:relu:he-normal", "64,64:tanh" or "64x10:relu:lsuv" (orthogonal here; the caller rescales).</summary>
    internal static Sequential<float> ParseArchitecture(string spec, int inputs, int outputs, ulong seed)
    {
        var parts = spec.Split(':');
        if (parts.Length > 3)
            throw new UsageException($"'{spec}' is neither a model file nor an architecture HIDDEN[:ACTIVATION[:INIT]].");
        int[] hidden;
        var repeat = parts[0].Split('x');
        if (repeat.Length == 2 && int.TryParse(repeat[0], NumberStyles.None, CultureInfo.InvariantCulture, out int width)
            && int.TryParse(repeat[1], NumberStyles.None, CultureInfo.InvariantCulture, out int depth) && width > 0 && depth is > 0 and <= 1000)
            hidden = [.. Enumerable.Repeat(width, depth)];
        else
            hidden = Names.ParseHidden(parts[0]);
        var activation = parts.Length > 1 ? Names.ParseActivation(parts[1]) : Activation.ReLU;
        if (parts.Length > 2 && parts[2] != "lsuv" && !Initializer.Names.Contains(parts[2]))
            throw new UsageException($"'{parts[2]}' in '{spec}' is not an initializer (expected one of {string.Join(", ", Initializer.Names)}, lsuv).");
        IInitializer? init = parts.Length > 2 ? (parts[2] == "lsuv" ? new Orthogonal() : Initializer.Parse(parts[2])) : null;
        Names.CheckNetworkSize("architecture", spec, hidden, inputs, outputs);
        return Mlp.Create(inputs, hidden, outputs, activation, init, seed);
    }

    private static Dataset First(Dataset data, int n) => data.Subset([.. Enumerable.Range(0, Math.Min(n, data.Features.Rows))]);

    private static void Print(IReadOnlyList<LayerReport> reports, int rows)
    {
        var table = new Table().Title($"per-layer statistics on {rows} rows")
            .AddColumn("#").AddColumn("layer").AddColumn(new TableColumn("units").RightAligned())
            .AddColumn(new TableColumn("mean").RightAligned()).AddColumn(new TableColumn("std").RightAligned())
            .AddColumn(new TableColumn("dead").RightAligned()).AddColumn(new TableColumn("grad std").RightAligned())
            .AddColumn(new TableColumn("W std").RightAligned()).AddColumn(new TableColumn("dW std").RightAligned());
        foreach (var r in reports)
        {
            table.AddRow(
                r.Index.ToString(CultureInfo.InvariantCulture), Markup.Escape(r.Layer.Replace(" ", "", StringComparison.Ordinal)), r.Units.ToString(CultureInfo.InvariantCulture),
                G(r.OutputMean), G(r.OutputStd), r.DeadFraction is double d ? d.ToString("P1", CultureInfo.InvariantCulture) : "",
                G(r.GradOutputStd), G(r.WeightStd), G(r.WeightGradStd));
        }
        AnsiConsole.Write(table);
    }

    private static string G(double? v) => v is double x ? x.ToString("G3", CultureInfo.InvariantCulture) : "";
}
