namespace Engine.Training;

/// <summary>
/// Everything <see cref="Trainer.Resume"/> needs to continue a run exactly where it stopped, so that the
/// resumed run ends bit-identical to one never stopped: the <see cref="TrainingProgress"/> and the tensors
/// (weights, the optimizer's buffers, and the early-stopping best weights).
/// </summary>
public sealed class TrainingState
{
    /// <summary>Position, running sums, history, optimizer counters and early-stopping state.</summary>
    public required TrainingProgress Progress { get; init; }

    /// <summary>Every parameter's values, in the model's parameter order.</summary>
    public required float[][] Weights { get; init; }

    /// <summary>The optimizer's <see cref="Optimizers.Optimizer{T}.StateBuffers"/>.</summary>
    public required float[][] OptimizerBuffers { get; init; }

    /// <summary>Early stopping: the weights of the best epoch (<see cref="TrainingProgress.BestEpoch"/>), or null.</summary>
    public float[][]? BestWeights { get; init; }
}
