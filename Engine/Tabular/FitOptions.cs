using System.Text.Json.Serialization;
using Engine.Data;
using Engine.Initializers;
using Engine.Optimizers;
using Engine.Training;

namespace Engine.Tabular;

/// <summary>Everything <see cref="TabularModel.Fit(DataTable, FitOptions, DataTable?, Action{Training.EpochResult}?, CancellationToken, Action{Checkpoint}?)"/> needs besides the data; the defaults train the data/ sets well.</summary>
public sealed record FitOptions
{
    /// <summary>Hidden layer widths.</summary>
    public IReadOnlyList<int> Hidden { get; init; } = [64, 64];

    /// <summary>Hidden activation.</summary>
    public Activation Activation { get; init; } = Activation.ReLU;

    /// <summary>Leaky ReLU's slope.</summary>
    public double NegativeSlope { get; init; } = 0.01;

    /// <summary>Weight initializer for every dense layer; null follows each layer's activation. Not saved in checkpoints (a resumed run starts from saved weights).</summary>
    [JsonIgnore]
    public IInitializer? Initializer { get; init; }

    /// <summary>Passes over the training rows.</summary>
    public int Epochs { get; init; } = 100;

    /// <summary>Rows per mini-batch.</summary>
    public int BatchSize { get; init; } = 32;

    /// <summary>The optimizer; AdamW with strong decoupled decay is the default that trained every data/ set well.</summary>
    public OptimizerKind Optimizer { get; init; } = OptimizerKind.AdamW;

    /// <summary>Learning rate; null means 0.001 for Adam/AdamW and 0.01 for SGD.</summary>
    public double? LearningRate { get; init; }

    /// <summary>SGD momentum.</summary>
    public double Momentum { get; init; } = 0.9;

    /// <summary>SGD Nesterov momentum.</summary>
    public bool Nesterov { get; init; }

    /// <summary>
    /// Weight decay λ (not applied to biases and PReLU slopes); null means <see cref="DefaultWeightDecay"/>: for AdamW
    /// 0.1 for classification and 5 for regression, 0 for SGD and Adam.
    /// </summary>
    public double? WeightDecay { get; init; }

    /// <summary>
    /// The weight decay a null <see cref="WeightDecay"/> stands for. AdamW's decay is decoupled (each step shrinks the
    /// weights by lr·λ): 0.1 for classification and 5 for regression, chosen on 13 tables (data/ and the shared tabular
    /// ones, split seeds 1–3, confirmed on 4–6; `Engine.Bench -- tabular`). The two tasks pull apart: every regression
    /// set fitted noise and extrapolated wildly with weak decay (R² −0.49 on one airquality split at λ = 1), while
    /// classification underfit with strong decay (hpc 0.740 at λ = 1, 0.778 at 0.1). SGD and Adam: 0.
    /// </summary>
    public static double DefaultWeightDecay(OptimizerKind optimizer, TaskKind task) =>
        optimizer != OptimizerKind.AdamW ? 0 : task == TaskKind.Classification ? 0.1 : 5;

    /// <summary>"constant", "cosine" (to 0 over the epochs) or "step" (×0.1 every third of the epochs).</summary>
    public string Schedule { get; init; } = "constant";

    /// <summary>Linear warm-up epochs before the schedule.</summary>
    public double WarmupEpochs { get; init; }

    /// <summary>Seeds the split, the initial weights and the shuffling.</summary>
    public ulong Seed { get; init; }

    /// <summary>Share of rows held out for testing when no test set is given.</summary>
    public double TestFraction { get; init; } = 0.2;

    /// <summary>Share of training rows for validation; null means 0.1 with early stopping, else 0.</summary>
    public double? ValidationFraction { get; init; }

    /// <summary>Early-stopping patience in epochs; null trains all epochs.</summary>
    public int? Patience { get; init; }

    /// <summary>
    /// A categorical level seen on fewer training rows than this shares the column's "other" input with levels
    /// never seen in training, instead of getting an input of its own.
    /// </summary>
    public int MinLevelCount { get; init; } = 3;

    /// <summary>
    /// Whether the first layer computes categorical columns as a lookup of their levels' weights
    /// (<see cref="Layers.OneHotDense{T}"/>) instead of a product with the one-hot inputs: the same function and
    /// weights, a different speed. Null decides from the level counts (<see cref="TabularModel.LookupMinLevels"/>).
    /// </summary>
    public bool? CategoricalLookup { get; init; }

    /// <summary>"standard", "minmax" or "none".</summary>
    public string Scaler { get; init; } = "standard";

    /// <summary>Label smoothing ε for classification.</summary>
    public double LabelSmoothing { get; init; }

    /// <summary>Clip gradients to this global L2 norm before each step; null never clips.</summary>
    public double? ClipGradNorm { get; init; }

    /// <summary>Hand the <c>checkpoint</c> callback of <see cref="TabularModel.Fit(DataTable, FitOptions, DataTable?, Action{Training.EpochResult}?, CancellationToken, Action{Checkpoint}?)"/> a checkpoint every this many epochs; null never does.</summary>
    public int? CheckpointEvery { get; init; }

    /// <summary>
    /// Layer-sequential unit-variance initialization (Mishkin &amp; Matas 2016): when set, every dense layer starts
    /// from <see cref="Initializer"/> (orthogonal when that is null, as in the paper) and is rescaled on the first
    /// <see cref="Lsuv.CalibrationRows"/> encoded training rows before training; <see cref="FitResult.LsuvVariances"/>
    /// reports the variances reached. Not saved in checkpoints (a resumed run starts from saved weights).
    /// </summary>
    [JsonIgnore]
    public Lsuv? Lsuv { get; init; }

    /// <summary>The <see cref="Scaler"/> names.</summary>
    public static IReadOnlyList<string> ScalerNames { get; } = ["standard", "minmax", "none"];

    /// <summary>Throws <see cref="InvalidOptionException"/> naming the first option whose value cannot work.</summary>
    public void Validate()
    {
        if (Hidden is null || Hidden.Any(w => w < 1))
            throw new InvalidOptionException(nameof(Hidden), Hidden is null ? null : string.Join(",", Hidden), "must list positive layer widths");
        Finite(nameof(NegativeSlope), NegativeSlope);
        AtLeastOne(nameof(Epochs), Epochs);
        AtLeastOne(nameof(BatchSize), BatchSize);
        if (LearningRate is double lr && !(lr > 0 && double.IsFinite(lr)))
            throw new InvalidOptionException(nameof(LearningRate), lr, "must be a positive number");
        if (!(Momentum >= 0 && Momentum < 1))
            throw new InvalidOptionException(nameof(Momentum), Momentum, "must be in [0, 1)");
        if (Nesterov && Optimizer == OptimizerKind.Sgd && Momentum == 0)
            throw new InvalidOptionException(nameof(Momentum), Momentum, "must be above 0 for Nesterov momentum");
        if (WeightDecay is double wd && !(wd >= 0 && double.IsFinite(wd)))
            throw new InvalidOptionException(nameof(WeightDecay), wd, "must be a number ≥ 0");
        if (!OptimizerFactory.ScheduleNames.Contains(Schedule))
            throw new InvalidOptionException(nameof(Schedule), Schedule, $"must be one of {string.Join(", ", OptimizerFactory.ScheduleNames)}");
        if (!(WarmupEpochs >= 0 && double.IsFinite(WarmupEpochs)))
            throw new InvalidOptionException(nameof(WarmupEpochs), WarmupEpochs, "must be a number of epochs ≥ 0");
        if (!(TestFraction > 0 && TestFraction < 1))
            throw new InvalidOptionException(nameof(TestFraction), TestFraction, "must be in (0, 1)");
        if (ValidationFraction is double vf && !(vf >= 0 && vf < 1))
            throw new InvalidOptionException(nameof(ValidationFraction), vf, "must be in [0, 1)");
        if (Patience is int patience)
            AtLeastOne(nameof(Patience), patience);
        if (Patience is not null && ValidationFraction == 0)
            throw new InvalidOptionException(nameof(ValidationFraction), 0.0, "must be above 0 for early stopping");
        AtLeastOne(nameof(MinLevelCount), MinLevelCount);
        if (!ScalerNames.Contains(Scaler))
            throw new InvalidOptionException(nameof(Scaler), Scaler, $"must be one of {string.Join(", ", ScalerNames)}");
        if (!(LabelSmoothing >= 0 && LabelSmoothing < 1))
            throw new InvalidOptionException(nameof(LabelSmoothing), LabelSmoothing, "must be in [0, 1)");
        if (ClipGradNorm is double clip && !(clip > 0 && double.IsFinite(clip)))
            throw new InvalidOptionException(nameof(ClipGradNorm), clip, "must be a positive number");
        if (CheckpointEvery is int every)
            AtLeastOne(nameof(CheckpointEvery), every);

        static void AtLeastOne(string name, int value)
        {
            if (value < 1)
                throw new InvalidOptionException(name, value, "must be at least 1");
        }

        static void Finite(string name, double value)
        {
            if (!double.IsFinite(value))
                throw new InvalidOptionException(name, value, "must be a finite number");
        }
    }
}
