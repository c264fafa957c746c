using System.Text.Json.Serialization;
using Engine.Initializers;
using Engine.Optimizers;

namespace Engine.Tabular;

/// <summary>Everything <see cref="TabularModel.Fit"/> needs besides the data; the defaults train the data/ sets well.</summary>
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
    /// Weight decay λ (not applied to biases and PReLU slopes); null means 1.0 for AdamW (each step shrinks the
    /// weights by lr·λ = 0.1%, which kept the small data/ sets from overfitting) and 0 for SGD and Adam.
    /// </summary>
    public double? WeightDecay { get; init; }

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

    /// <summary>"standard", "minmax" or "none".</summary>
    public string Scaler { get; init; } = "standard";

    /// <summary>Label smoothing ε for classification.</summary>
    public double LabelSmoothing { get; init; }

    /// <summary>Clip gradients to this global L2 norm before each step; null never clips.</summary>
    public double? ClipGradNorm { get; init; }

    /// <summary>Hand the <c>checkpoint</c> callback of <see cref="TabularModel.Fit"/> a checkpoint every this many epochs; null never does.</summary>
    public int? CheckpointEvery { get; init; }
}
