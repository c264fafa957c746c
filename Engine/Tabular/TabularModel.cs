using Engine.Data;
using Engine.Initializers;
using Engine.Layers;
using Engine.Losses;
using Engine.Optimizers;
using Engine.Serialization;
using Engine.Training;

namespace Engine.Tabular;

/// <summary>
/// A trained network together with what it needs to read raw table rows: the feature columns and how each is
/// encoded (imputation, missing indicators, one-hot levels, scaling; <see cref="TableEncoder"/>), the class labels
/// (classification) or the target scaling (regression). This is what a model file holds; <see cref="Fit(DataTable,
/// FitOptions, DataTable?, Action{EpochResult}?, CancellationToken, Action{Checkpoint}?)"/> makes one from a table.
/// </summary>
public sealed class TabularModel
{
    internal TabularModel(Sequential<float> network, ModelMetadata metadata, bool? categoricalLookup = null)
    {
        Metadata = metadata;
        Encoder = TableEncoder.FromMetadata(metadata);
        TargetScaler = metadata.TargetScaler is { } ts ? Scaler.FromState(ts) : null;
        UsesLookup = network.Layers[0] is Dense<float> && Encoder.LevelCounts.Length > 0
            && (categoricalLookup ?? (Encoder.LevelCounts.Sum() >= LookupMinInputs && Encoder.LevelCounts.Average() >= LookupMinLevels));
        Network = UsesLookup
            ? new Sequential<float>([OneHotDense<float>.From((Dense<float>)network.Layers[0], Encoder.NumericWidth, Encoder.LevelCounts), .. network.Layers.Skip(1)])
            : network;
    }

    /// <summary>
    /// By default the first layer reads categorical columns as a lookup (<see cref="OneHotDense{T}"/>) when they have
    /// at least <see cref="LookupMinInputs"/> one-hot inputs in all, averaging at least this many per column. Below
    /// that the dense product over the zeros is faster: on the shared tables (81 to ~170 one-hot inputs) the lookup
    /// took 1.0–1.6× the dense epoch; it pays on wide blocks (Engine.Bench's OneHotDenseBenchmarks: 1010 one-hot
    /// inputs in 3 columns, 2.5× faster).
    /// </summary>
    public const double LookupMinLevels = 16;

    /// <summary>See <see cref="LookupMinLevels"/>.</summary>
    public const int LookupMinInputs = 256;

    /// <summary>
    /// Whether the first layer is a <see cref="OneHotDense{T}"/>: it then takes one input per categorical column
    /// holding the level's slot (what <see cref="Prepare"/> produces), the same function as the saved Dense over the
    /// one-hot inputs.
    /// </summary>
    public bool UsesLookup { get; }

    /// <summary>The network; its outputs are logits (classification) or standardized targets (regression).</summary>
    public Sequential<float> Network { get; }

    /// <summary>Columns, labels and preprocessing, as saved.</summary>
    public ModelMetadata Metadata { get; }

    /// <summary>Classification or regression.</summary>
    public TaskKind Task => Metadata.Task;

    /// <summary>Class labels by index, for classification.</summary>
    public IReadOnlyList<string>? ClassNames => Metadata.ClassNames;

    /// <summary>The raw columns the model reads (numeric ones first), matched by name in the data it is given.</summary>
    public IReadOnlyList<string> FeatureNames => Metadata.FeatureNames;

    /// <summary>What training saw in each feature column, dropped ones included (null for models saved before schemas).</summary>
    public IReadOnlyList<ColumnSchema>? Schema => Metadata.Schema;

    internal TableEncoder Encoder { get; }

    private Scaler? TargetScaler { get; }

    /// <summary>
    /// How to read a CSV file for this model: its feature columns by name and kind (other columns are ignored),
    /// and the target when <paramref name="withTarget"/> (to evaluate; rows whose target is missing are dropped).
    /// </summary>
    public TableOptions ReadOptions(bool withTarget) => new()
    {
        Features = FeatureNames,
        Numeric = [.. Metadata.EffectiveEncoding.Numeric.Select(c => c.Name)],
        Categorical = [.. Metadata.EffectiveEncoding.Categorical.Select(c => c.Name)],
        Target = withTarget ? Metadata.TargetName : null,
        TargetOptional = !withTarget,
        Task = Task,
        ClassNames = ClassNames,
    };

    /// <summary>Reads a CSV file's rows for this model (<see cref="ReadOptions"/>).</summary>
    public DataTable ReadCsv(string path, bool withTarget = false) => DataTable.ReadCsv(path, ReadOptions(withTarget));

    /// <summary>
    /// Splits <paramref name="data"/> (unless <paramref name="test"/> is given), fits the encoding on the training
    /// rows, builds and trains an MLP, and evaluates it on the test rows. With <see cref="FitOptions.CheckpointEvery"/>,
    /// <paramref name="checkpoint"/> receives a checkpoint every that many epochs; when <paramref name="cancellation"/>
    /// stops the run, <see cref="FitResult.Checkpoint"/> holds the state to resume from.
    /// </summary>
    public static FitResult Fit(DataTable data, FitOptions options, DataTable? test = null, Action<EpochResult>? epochCompleted = null,
        CancellationToken cancellation = default, Action<Checkpoint>? checkpoint = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(options);
        return Train(data, options, test, null, epochCompleted, cancellation, checkpoint);
    }

    /// <summary>Trains on an all-numeric dataset (see <see cref="DataTable.FromDataset"/>).</summary>
    public static FitResult Fit(Dataset data, FitOptions options, Dataset? test = null, Action<EpochResult>? epochCompleted = null,
        CancellationToken cancellation = default, Action<Checkpoint>? checkpoint = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        return Fit(DataTable.FromDataset(data), options, test is null ? null : DataTable.FromDataset(test), epochCompleted, cancellation, checkpoint);
    }

    /// <summary>
    /// Continues the run <paramref name="from"/> was taken from, on the same <paramref name="data"/> (and the
    /// same separate <paramref name="test"/> set, if it had one): the split and encoding are recomputed from the
    /// seed, the weights, optimizer and progress come from the checkpoint. With the checkpoint's options
    /// unchanged the result is bit-identical to a run never stopped; a larger <see cref="FitOptions.Epochs"/>
    /// extends the run (cosine and step schedules then stretch to the new length).
    /// </summary>
    public static FitResult Resume(Checkpoint from, DataTable data, DataTable? test = null, Action<EpochResult>? epochCompleted = null,
        CancellationToken cancellation = default, Action<Checkpoint>? checkpoint = null)
    {
        ArgumentNullException.ThrowIfNull(from);
        ArgumentNullException.ThrowIfNull(data);
        var fingerprint = DataFingerprint.Of(data);
        if (fingerprint != from.Data)
            throw new IncompatibleDataException($"{data.Source}: these are not the rows the checkpoint was trained on ({fingerprint.Rows}×{fingerprint.Columns}, CRC {fingerprint.Crc32:X8}; the checkpoint's are {from.Data.Rows}×{from.Data.Columns}, CRC {from.Data.Crc32:X8}).");
        if (from.SeparateTest != test is not null)
            throw new IncompatibleDataException(from.SeparateTest ? $"{data.Source}: the checkpoint's run had a separate test set: give it again." : $"{test!.Source}: the checkpoint's run split its test rows off the data: give no separate test set.");
        if (from.Options.Epochs < from.State.Progress.Epoch)
            throw new InvalidOptionException(nameof(FitOptions.Epochs), from.Options.Epochs, $"must be at least the {from.State.Progress.Epoch} epochs the checkpoint has completed");
        return Train(data, from.Options, test, from, epochCompleted, cancellation, checkpoint);
    }

    /// <summary>Continues a run on an all-numeric dataset (see <see cref="DataTable.FromDataset"/>).</summary>
    public static FitResult Resume(Checkpoint from, Dataset data, Dataset? test = null, Action<EpochResult>? epochCompleted = null,
        CancellationToken cancellation = default, Action<Checkpoint>? checkpoint = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        return Resume(from, DataTable.FromDataset(data), test is null ? null : DataTable.FromDataset(test), epochCompleted, cancellation, checkpoint);
    }

    private static FitResult Train(DataTable data, FitOptions options, DataTable? test, Checkpoint? resume, Action<EpochResult>? epochCompleted,
        CancellationToken cancellation, Action<Checkpoint>? checkpoint)
    {
        options.Validate();
        if (data.Targets is null || data.TargetName is null)
            throw new IncompatibleDataException($"{data.Source}: training needs a target column.");
        // The defaults that depend on the data are settled here, so a checkpoint holds the values the run used.
        options = options with { WeightDecay = options.WeightDecay ?? FitOptions.DefaultWeightDecay(options.Optimizer, data.Task) };
        bool classification = data.Task == TaskKind.Classification;
        bool separateTest = test is not null;
        DataTable train = data;
        if (test is null)
            (train, test) = DataSplit.TrainTest(data, options.TestFraction, options.Seed, stratify: classification);
        double validationFraction = options.ValidationFraction ?? (options.Patience is null ? 0 : 0.1);
        DataTable? validation = null;
        if (validationFraction > 0)
            (train, validation) = DataSplit.TrainTest(train, validationFraction, options.Seed + 1, stratify: classification);

        var encoder = TableEncoder.Fit(train, options.Scaler, options.MinLevelCount);
        Scaler? targetScaler = null;
        if (!classification)
        {
            // Standardizing the target keeps the MSE gradients of order 1 whatever the target's units.
            targetScaler = new StandardScaler();
            targetScaler.Fit(train.Targets!);
        }

        var metadata = new ModelMetadata(data.Task, [.. encoder.Encoding.Columns.Select(c => c.Name)], data.TargetName,
            data.ClassNames is null ? null : [.. data.ClassNames], encoder.ScalerState, targetScaler?.State)
        {
            Encoding = encoder.Encoding,
            Schema = [.. data.Columns],
        };
        metadata.Training["seed"] = options.Seed.ToString(CultureInfo.InvariantCulture);
        metadata.Training["epochs"] = options.Epochs.ToString(CultureInfo.InvariantCulture);
        metadata.Training["optimizer"] = options.Optimizer.ToString();

        int outputs = classification ? data.ClassNames!.Count : 1;
        Sequential<float> network;
        if (resume is null)
        {
            network = Mlp.Create(encoder.Width, options.Hidden, outputs, options.Activation, options.Initializer ?? (options.Lsuv is null ? null : new Orthogonal()), options.Seed, options.NegativeSlope);
            encoder.SilenceUnusedSlots(network, train);
        }
        else
        {
            network = new Sequential<float>([.. resume.Layers.Select(spec => spec.Create(problem => new ArgumentException($"The checkpoint's architecture is invalid: {problem}")))]);
        }
        var model = new TabularModel(network, metadata, options.CategoricalLookup);
        network = model.Network;

        Loss<float> loss = classification ? new SoftmaxCrossEntropy<float>(options.LabelSmoothing) : new MeanSquaredError<float>();
        var trainer = new Trainer(network, loss, CreateOptimizer(network, options), new TrainingOptions
        {
            Task = data.Task,
            Epochs = options.Epochs,
            BatchSize = options.BatchSize,
            Seed = options.Seed,
            Schedule = OptimizerFactory.CreateSchedule(options.Schedule, options.Epochs, options.WarmupEpochs),
            Patience = options.Patience,
            ClipGradNorm = options.ClipGradNorm,
            CheckpointEvery = options.CheckpointEvery,
        })
        {
            EpochCompleted = epochCompleted,
        };
        LayerSpec[] layers = [.. network.Layers.Select(LayerSpec.Of)];
        var fingerprint = DataFingerprint.Of(data);
        Checkpoint Freeze(TrainingState state) =>
            new(layers, metadata, options, state) { Data = fingerprint, SeparateTest = separateTest, DataPath = resume?.DataPath, TestPath = resume?.TestPath };
        if (checkpoint is not null)
            trainer.Checkpoint = state => checkpoint(Freeze(state));

        var preparedTrain = model.Prepare(train);
        var preparedValidation = validation is null ? null : model.Prepare(validation);
        var lsuv = resume is null ? options.Lsuv?.Rescale(network, Lsuv.CalibrationBatch(preparedTrain.Features)) : null;
        var history = resume is null
            ? trainer.Fit(preparedTrain, preparedValidation, cancellation)
            : trainer.Resume(resume.State, preparedTrain, preparedValidation, cancellation);
        var testResult = model.Evaluate(test);
        var stoppedAt = history.StopReason == StopReason.Cancelled ? Freeze(trainer.CaptureState()) : null;
        return new FitResult(model, history, testResult, train.Count, validation?.Count ?? 0, test.Count, stoppedAt) { LsuvVariances = lsuv };
    }

    /// <summary>
    /// Predictions for the rows of <paramref name="table"/> (its columns matched to the model's by name; missing
    /// values and levels never seen in training are handled as in training): class probabilities (n × classes) for
    /// classification, target values in their original units (n × 1) for regression.
    /// </summary>
    public Matrix<float> Predict(DataTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        return OutputsOf(Encoder.Encode(table, oneHot: !UsesLookup));
    }

    // The network on encoded inputs, mapped to what Predict returns: probabilities, or values in the target's units.
    private Matrix<float> OutputsOf(Matrix<float> encoded)
    {
        var output = Evaluator.Predict(Network, encoded);
        if (Task == TaskKind.Classification)
        {
            for (int i = 0; i < output.Rows; i++)
            {
                // softmax(z) = softmax(z − max z): TensorPrimitives.SoftMax exponentiates as given, and e^z overflows
                // to ∞ (∞/∞ = NaN) once a logit passes ~88.
                var row = output.Row(i);
                TensorPrimitives.Subtract(row, TensorPrimitives.Max<float>(row), row);
                TensorPrimitives.SoftMax(row, row);
            }
        }
        else
        {
            TargetScaler?.InverseTransform(output);
        }
        return output;
    }

    /// <summary>
    /// Predictions for raw numeric feature rows, one column per <see cref="FeatureNames"/> entry in that order (a
    /// model whose features are all numeric; NaN is a missing value).
    /// </summary>
    public Matrix<float> Predict(Matrix<float> rawFeatures)
    {
        ArgumentNullException.ThrowIfNull(rawFeatures);
        Check.Columns(rawFeatures, FeatureNames.Count, nameof(rawFeatures));
        if (Metadata.EffectiveEncoding.Categorical.Any())
            throw new InvalidOperationException("This model reads text columns: predict from a DataTable or from named values instead of a float matrix.");
        var rows = new Dataset(rawFeatures, new Matrix<float>(rawFeatures.Rows, 1), FeatureNames, Metadata.TargetName, TaskKind.Regression, null, "the given rows");
        return Predict(DataTable.FromDataset(rows));
    }

    /// <summary>
    /// Predictions for rows given as named values (a column name → a number, a string, or null for missing); names
    /// the model does not read are ignored, and a feature with no entry is an <see cref="IncompatibleDataException"/>.
    /// </summary>
    public Matrix<float> Predict(IReadOnlyList<IReadOnlyDictionary<string, object?>> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        return Predict(RowTable.From(rows, Metadata.EffectiveEncoding, "the given rows"));
    }

    /// <summary>The predicted class index of each row of an all-numeric feature matrix (classification).</summary>
    public int[] PredictClasses(Matrix<float> rawFeatures) => ClassesOf(Predict(rawFeatures));

    /// <summary>The predicted class index of each row of <paramref name="table"/> (classification).</summary>
    public int[] PredictClasses(DataTable table) => ClassesOf(Predict(table));

    private int[] ClassesOf(Matrix<float> p)
    {
        if (Task != TaskKind.Classification)
            throw new InvalidOperationException("PredictClasses needs a classification model.");
        var classes = new int[p.Rows];
        for (int i = 0; i < p.Rows; i++)
            classes[i] = TensorPrimitives.IndexOfMax<float>(p.Row(i));
        return classes;
    }

    /// <summary>
    /// Test metrics on labelled rows (columns matched by name; <see cref="IncompatibleDataException"/> when a feature
    /// is missing or the target's task differs): loss and accuracy, or loss (on standardized targets) and RMSE/MAE/R²
    /// in the target's units.
    /// </summary>
    public Evaluation Evaluate(DataTable data)
    {
        ArgumentNullException.ThrowIfNull(data);
        var prepared = Prepare(data);
        Loss<float> loss = Task == TaskKind.Classification ? new SoftmaxCrossEntropy<float>() : new MeanSquaredError<float>();
        if (Task == TaskKind.Classification)
            return Evaluator.Evaluate(Network, loss, prepared);
        // One forward pass: the loss on standardized targets, the metrics on the outputs mapped back.
        var predictions = Evaluator.Predict(Network, prepared.Features);
        double value = loss.Forward(predictions, prepared.Targets);
        TargetScaler?.InverseTransform(predictions);
        return new Evaluation(value,
            Rmse: Training.Metrics.Rmse(predictions, data.Targets!),
            Mae: Training.Metrics.Mae(predictions, data.Targets!),
            R2: Training.Metrics.R2(predictions, data.Targets!));
    }

    /// <summary>
    /// scikit-learn's classification_report and confusion matrix (with log-loss) for labelled rows; null for a
    /// regression model (see <see cref="RegressionReport(DataTable)"/>).
    /// </summary>
    public ClassificationReport? ClassificationReport(DataTable data)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (Task != TaskKind.Classification)
            return null;
        var prepared = Prepare(data); // encoded once, for the outputs and the class indices
        return Training.ClassificationReport.From(OutputsOf(prepared.Features), prepared.Targets, ClassNames!);
    }

    /// <summary>MAE, RMSE, R² and residual quantiles in the target's units for labelled rows; null for a classification model.</summary>
    public RegressionReport? RegressionReport(DataTable data)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (Task != TaskKind.Regression)
            return null;
        var prepared = Prepare(data); // the same checks as Evaluate (a target of the right task), and the inputs once
        return Training.RegressionReport.From(OutputsOf(prepared.Features), data.Targets!);
    }

    /// <summary>Test metrics on an all-numeric dataset whose columns are the model's features (see <see cref="DataTable.FromDataset"/>).</summary>
    public Evaluation Evaluate(Dataset data)
    {
        ArgumentNullException.ThrowIfNull(data);
        return Evaluate(DataTable.FromDataset(data));
    }

    /// <summary>Writes the model file (atomically).</summary>
    public void Save(string path) => ModelFile.Save(path, Network, Metadata);

    /// <summary>Reads a model file written by <see cref="Save"/>, or a .safetensors file written by <see cref="ExportSafetensors"/>.</summary>
    public static TabularModel Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var (network, metadata) = path.EndsWith(".safetensors", StringComparison.OrdinalIgnoreCase)
            ? Safetensors.Load(path)
            : ModelFile.Load(path);
        return new TabularModel(network, metadata);
    }

    /// <summary>
    /// Writes the weights as safetensors, named as PyTorch's nn.Sequential state_dict would name them, with
    /// the architecture and preprocessing in the header's __metadata__ (see <see cref="Safetensors"/>).
    /// </summary>
    public void ExportSafetensors(string path) => Safetensors.Save(path, Network, Metadata);

    /// <summary>What <see cref="Network"/> sees for labelled rows: the encoded inputs (compact when <see cref="UsesLookup"/>) and the (scaled) targets.</summary>
    public Dataset Prepare(DataTable data)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.Targets is null)
            throw new IncompatibleDataException($"{data.Source}: the target column '{Metadata.TargetName}' is missing.");
        if (data.Task != Task)
            throw new IncompatibleDataException($"{data.Source}: the target '{data.TargetName}' is {data.Task.ToString().ToLowerInvariant()} but the model does {Task.ToString().ToLowerInvariant()}.");
        var x = Encoder.Encode(data, oneHot: !UsesLookup);
        var y = data.Targets.Clone();
        TargetScaler?.Transform(y);
        return new Dataset(x, y, Encoder.InputNames(oneHot: !UsesLookup), Metadata.TargetName, Task, ClassNames, data.Source);
    }

    /// <summary>The optimizer <paramref name="o"/> asks for, over the network's parameters (also used to validate checkpoints).</summary>
    internal static Optimizer<float> CreateOptimizer(Sequential<float> network, FitOptions o) =>
        OptimizerFactory.Create(o.Optimizer, network.Parameters, o.LearningRate, o.WeightDecay, o.Momentum, o.Nesterov);
}
