namespace Engine.Training;

/// <summary>Why training ended.</summary>
public enum StopReason
{
    /// <summary>All epochs ran.</summary>
    Completed,
    /// <summary>Validation loss stopped improving.</summary>
    EarlyStopped,
    /// <summary>A loss or gradient became NaN or infinite; the last good weights were kept.</summary>
    Diverged,
    /// <summary>Cancelled through the token.</summary>
    Cancelled,
}

/// <summary>Metrics of a model on one dataset: loss, and accuracy or RMSE/MAE/R².</summary>
public sealed record Evaluation(double Loss, double? Accuracy = null, double? Rmse = null, double? Mae = null, double? R2 = null);

/// <summary>One epoch's figures.</summary>
/// <param name="Epoch">1-based epoch number.</param>
/// <param name="TrainLoss">Mean training loss over the epoch's batches.</param>
/// <param name="Validation">Validation metrics, if a validation set was given.</param>
/// <param name="LearningRate">The rate at the end of the epoch.</param>
/// <param name="Seconds">Wall time of the epoch.</param>
/// <param name="TrainAccuracy">Classification: share of training rows the model got right during the epoch (as it learned).</param>
/// <param name="DeadFractions">With <see cref="TrainingOptions.DeadUnitProbe"/>: per ReLU-family layer, in order, the share of dead units.</param>
public sealed record EpochResult(int Epoch, double TrainLoss, Evaluation? Validation, double LearningRate, double Seconds,
    double? TrainAccuracy = null, IReadOnlyList<double>? DeadFractions = null);

/// <summary>What <see cref="Trainer.Fit"/> returns.</summary>
public sealed class TrainingHistory
{
    internal TrainingHistory(IEnumerable<EpochResult> epochs) => Epochs = [.. epochs];

    /// <summary>Every completed epoch.</summary>
    public IReadOnlyList<EpochResult> Epochs { get; }

    /// <summary>Why training ended.</summary>
    public StopReason StopReason { get; internal init; }

    /// <summary>A sentence for the user when training did not simply complete.</summary>
    public string? Message { get; internal init; }

    /// <summary>The epoch whose weights the model ends with: the last one, or the best one when early stopping restored it.</summary>
    public int BestEpoch { get; internal init; }

    /// <summary>Total wall time of training.</summary>
    public double Seconds { get; internal init; }
}
