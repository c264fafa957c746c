namespace Engine.Training;

/// <summary>
/// Everything <see cref="Trainer.Resume"/> needs to continue a run exactly where it stopped, so that the
/// resumed run ends bit-identical to one never stopped: the weights, the optimizer's buffers, step count
/// and rate, the position in the data (epoch and step; the batch order is a function of seed and epoch),
/// the running loss of the epoch in progress, the history, and the early-stopping state.
/// </summary>
public sealed class TrainingState
{
    /// <summary>Completed epochs, which is also the 0-based index of the epoch in progress.</summary>
    public required int Epoch { get; init; }

    /// <summary>Steps (batches) done in the epoch in progress.</summary>
    public required int Step { get; init; }

    /// <summary>Σ loss·rows over those steps; the epoch's training loss is this over the training rows.</summary>
    public required double LossSum { get; init; }

    /// <summary>Rows classified correctly so far in the epoch in progress (classification).</summary>
    public long Correct { get; init; }

    /// <summary>The history of the completed epochs.</summary>
    public required IReadOnlyList<EpochResult> Epochs { get; init; }

    /// <summary>Training wall time so far.</summary>
    public double Seconds { get; init; }

    /// <summary>Every parameter's values, in the model's parameter order.</summary>
    public required float[][] Weights { get; init; }

    /// <summary>The optimizer's <see cref="Optimizers.Optimizer{T}.StateBuffers"/>.</summary>
    public required float[][] OptimizerBuffers { get; init; }

    /// <summary>The optimizer's step count.</summary>
    public required long OptimizerSteps { get; init; }

    /// <summary>The optimizer's current learning rate.</summary>
    public required double LearningRate { get; init; }

    /// <summary>The rate the schedule scales (the optimizer's rate when the run began).</summary>
    public required double BaseLearningRate { get; init; }

    /// <summary>Early stopping: lowest validation loss so far (∞ before any).</summary>
    public double BestLoss { get; init; } = double.PositiveInfinity;

    /// <summary>Early stopping: epochs since that loss.</summary>
    public int EpochsSinceBest { get; init; }

    /// <summary>Early stopping: the epoch of the best weights (0 when none).</summary>
    public int BestEpoch { get; init; }

    /// <summary>Early stopping: the weights of the best epoch, or null.</summary>
    public float[][]? BestWeights { get; init; }
}
