using Engine.Data;
using Engine.Optimizers;

namespace Engine.Training;

/// <summary>How <see cref="Trainer"/> runs. Defaults suit the small tabular datasets in data/.</summary>
public sealed record TrainingOptions
{
    /// <summary>What the model learns; classification also counts the training accuracy of each epoch.</summary>
    public required TaskKind Task { get; init; }

    /// <summary>Passes over the training set.</summary>
    public int Epochs { get; init; } = 100;

    /// <summary>Rows per mini-batch; the last batch of an epoch may be smaller.</summary>
    public int BatchSize { get; init; } = 32;

    /// <summary>Seeds the shuffling of batches: epoch e's order depends on (Seed, e) only.</summary>
    public ulong Seed { get; init; }

    /// <summary>Learning rate as a function of the epoch; null keeps the optimizer's rate.</summary>
    public LearningRateSchedule? Schedule { get; init; }

    /// <summary>Stop after this many epochs without a lower validation loss; null never stops early.</summary>
    public int? Patience { get; init; }

    /// <summary>With early stopping, end with the weights of the best validation epoch.</summary>
    public bool RestoreBestWeights { get; init; } = true;

    /// <summary>Clip gradients to this global L2 norm before each step (torch.nn.utils.clip_grad_norm_); null never clips.</summary>
    public double? ClipGradNorm { get; init; }

    /// <summary>Hand <see cref="Trainer.Checkpoint"/> the training state every this many epochs; null never does.</summary>
    public int? CheckpointEvery { get; init; }

    /// <summary>
    /// A fixed batch on which, after every epoch, the fraction of dead units of each ReLU-family layer is
    /// measured (units whose pre-activation is never positive on it) and recorded in
    /// <see cref="EpochResult.DeadFractions"/>; null records nothing.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public Matrix<float>? DeadUnitProbe { get; init; }

    /// <summary>Throws unless the options make sense.</summary>
    public void Validate()
    {
        if (Epochs < 1)
            throw new ArgumentOutOfRangeException(nameof(Epochs), Epochs, $"Epochs must be at least 1, got {Epochs}.");
        if (BatchSize < 1)
            throw new ArgumentOutOfRangeException(nameof(BatchSize), BatchSize, $"BatchSize must be at least 1, got {BatchSize}.");
        if (Patience is < 1)
            throw new ArgumentOutOfRangeException(nameof(Patience), Patience, $"Patience must be at least 1, got {Patience}.");
        if (ClipGradNorm is double max && !(max > 0 && double.IsFinite(max)))
            throw new ArgumentOutOfRangeException(nameof(ClipGradNorm), ClipGradNorm, $"ClipGradNorm must be a positive finite number, got {max}.");
        if (CheckpointEvery is < 1)
            throw new ArgumentOutOfRangeException(nameof(CheckpointEvery), CheckpointEvery, $"CheckpointEvery must be at least 1, got {CheckpointEvery}.");
    }
}
