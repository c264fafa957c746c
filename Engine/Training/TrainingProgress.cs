namespace Engine.Training;

/// <summary>
/// Where a run is, apart from its tensors: the position in the data (epoch and step; the batch order is a
/// function of seed and epoch), the running loss and accuracy count of the epoch in progress, the history,
/// the optimizer's step count and rate, and the early-stopping state. The trainer updates one instance as it
/// goes; <see cref="Trainer.CaptureState"/> hands out a <see cref="Clone"/>, and the checkpoint file stores it
/// as it is (its JSON "progress" object).
/// </summary>
public sealed class TrainingProgress
{
    /// <summary>Completed epochs, which is also the 0-based index of the epoch in progress.</summary>
    public int Epoch { get; set; }

    /// <summary>Steps (batches) done in the epoch in progress.</summary>
    public int Step { get; set; }

    /// <summary>Σ loss·rows over those steps; the epoch's training loss is this over the training rows.</summary>
    public double LossSum { get; set; }

    /// <summary>Rows classified correctly so far in the epoch in progress (classification).</summary>
    public long Correct { get; set; }

    /// <summary>The history of the completed epochs.</summary>
    public List<EpochResult> Epochs { get; set; } = [];

    /// <summary>Training wall time so far.</summary>
    public double Seconds { get; set; }

    /// <summary>The optimizer's step count.</summary>
    public long OptimizerSteps { get; set; }

    /// <summary>The optimizer's current learning rate.</summary>
    public double LearningRate { get; set; }

    /// <summary>The rate the schedule scales (the optimizer's rate when the run began).</summary>
    public double BaseLearningRate { get; set; }

    /// <summary>Early stopping: lowest validation loss so far (∞ before any).</summary>
    public double BestLoss { get; set; } = double.PositiveInfinity;

    /// <summary>Early stopping: epochs since that loss.</summary>
    public int EpochsSinceBest { get; set; }

    /// <summary>Early stopping: the epoch of the best weights (0 when none).</summary>
    public int BestEpoch { get; set; }

    /// <summary>A copy that shares nothing mutable with this one.</summary>
    public TrainingProgress Clone()
    {
        var copy = (TrainingProgress)MemberwiseClone();
        copy.Epochs = [.. Epochs];
        return copy;
    }
}
