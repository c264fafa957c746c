using Engine.Layers;

namespace Engine.Optimizers;

/// <summary>
/// Updates a fixed list of parameters from their gradients. <see cref="LearningRate"/> may be changed
/// between steps (a schedule does that).
/// </summary>
public abstract class Optimizer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private double _learningRate;

    /// <summary>Takes the parameters to update and the initial learning rate.</summary>
    protected Optimizer(IEnumerable<Parameter<T>> parameters, double learningRate)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        Parameters = [.. parameters];
        LearningRate = learningRate;
    }

    /// <summary>The parameters, in order.</summary>
    public IReadOnlyList<Parameter<T>> Parameters { get; }

    /// <summary>The step size; finite and non-negative.</summary>
    public double LearningRate
    {
        get => _learningRate;
        set => _learningRate = CheckNonNegative(value, nameof(LearningRate));
    }

    /// <summary>Number of steps taken.</summary>
    public long StepCount { get; protected set; }

    /// <summary>One update of every parameter from its current gradient.</summary>
    public abstract void Step();

    /// <summary>Sets every gradient to zero.</summary>
    public void ZeroGrad()
    {
        for (int i = 0; i < Parameters.Count; i++) // for, not foreach: no enumerator allocation per step
            Parameters[i].ZeroGrad();
    }

    /// <summary>The optimizer's buffers (momentum, moments), for checkpoints; in parameter order.</summary>
    public abstract IReadOnlyList<T[]> StateBuffers { get; }

    /// <summary>
    /// Restores what a checkpoint saved: the contents of <see cref="StateBuffers"/> (same count and lengths),
    /// the step count (Adam's bias correction and SGD's first-step momentum depend on it) and the rate.
    /// </summary>
    public void LoadState(IReadOnlyList<T[]> buffers, long stepCount, double learningRate)
    {
        ArgumentNullException.ThrowIfNull(buffers);
        ArgumentOutOfRangeException.ThrowIfNegative(stepCount);
        var own = StateBuffers;
        if (buffers.Count != own.Count)
            throw new ArgumentException($"{GetType().Name} has {own.Count} state buffers, got {buffers.Count}.", nameof(buffers));
        for (int i = 0; i < own.Count; i++)
        {
            if (buffers[i].Length != own[i].Length)
                throw new ArgumentException($"State buffer {i} has {own[i].Length} values, got {buffers[i].Length}.", nameof(buffers));
        }
        for (int i = 0; i < own.Count; i++)
            buffers[i].CopyTo(own[i], 0);
        StepCount = stepCount;
        LearningRate = learningRate;
    }

    /// <summary>Throws unless <paramref name="value"/> is finite and ≥ 0.</summary>
    protected static double CheckNonNegative(double value, string name)
    {
        if (!double.IsFinite(value) || value < 0)
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be a finite number ≥ 0, got {value}.");
        return value;
    }

    /// <summary>Throws unless 0 ≤ value &lt; 1.</summary>
    protected static double CheckFraction(double value, string name)
    {
        if (!(value >= 0 && value < 1))
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be in [0, 1), got {value}.");
        return value;
    }
}
