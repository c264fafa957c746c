using System.Numerics;
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
