namespace Engine.Optimizers;

/// <summary>
/// The learning rate as a function of training progress, measured in (fractional) epochs, so a
/// schedule is independent of the batch size. The trainer sets the optimizer's rate before each step.
/// </summary>
public abstract class LearningRateSchedule
{
    /// <summary>The rate at <paramref name="epoch"/> (0 at the start; 2.5 is halfway through the third epoch).</summary>
    public abstract double At(double baseRate, double epoch);
}

/// <summary>lr = base.</summary>
public sealed class ConstantSchedule : LearningRateSchedule
{
    /// <inheritdoc/>
    public override double At(double baseRate, double epoch) => baseRate;
}

/// <summary>lr = base · γ^⌊epoch / stepSize⌋ (PyTorch's StepLR).</summary>
public sealed class StepDecay : LearningRateSchedule
{
    /// <summary>Decays by <paramref name="gamma"/> every <paramref name="stepSize"/> epochs.</summary>
    public StepDecay(int stepSize, double gamma = 0.1)
    {
        Check.Positive(stepSize, nameof(stepSize));
        if (!(gamma > 0 && gamma <= 1))
            throw new ArgumentOutOfRangeException(nameof(gamma), gamma, "gamma must be in (0, 1].");
        StepSize = stepSize;
        Gamma = gamma;
    }

    /// <summary>Epochs between decays.</summary>
    public int StepSize { get; }

    /// <summary>Factor per decay.</summary>
    public double Gamma { get; }

    /// <inheritdoc/>
    public override double At(double baseRate, double epoch) => baseRate * Math.Pow(Gamma, Math.Floor(epoch / StepSize));
}

/// <summary>lr = min + (base − min)·(1 + cos(π·epoch/total))/2, then min (Loshchilov &amp; Hutter's cosine annealing).</summary>
public sealed class CosineSchedule : LearningRateSchedule
{
    /// <summary>Anneals from the base rate to <paramref name="minRate"/> over <paramref name="totalEpochs"/>.</summary>
    public CosineSchedule(double totalEpochs, double minRate = 0)
    {
        if (!(totalEpochs > 0) || !double.IsFinite(totalEpochs))
            throw new ArgumentOutOfRangeException(nameof(totalEpochs), totalEpochs, "totalEpochs must be positive.");
        if (!(minRate >= 0) || !double.IsFinite(minRate))
            throw new ArgumentOutOfRangeException(nameof(minRate), minRate, "minRate must be ≥ 0.");
        TotalEpochs = totalEpochs;
        MinRate = minRate;
    }

    /// <summary>Length of the annealing.</summary>
    public double TotalEpochs { get; }

    /// <summary>Final rate.</summary>
    public double MinRate { get; }

    /// <inheritdoc/>
    public override double At(double baseRate, double epoch)
    {
        double progress = Math.Clamp(epoch / TotalEpochs, 0, 1);
        return MinRate + (baseRate - MinRate) * 0.5 * (1 + Math.Cos(Math.PI * progress));
    }
}

/// <summary>Linear warm-up from 0 over <see cref="WarmupEpochs"/>, then <see cref="After"/> (shifted to start at 0).</summary>
public sealed class LinearWarmup : LearningRateSchedule
{
    /// <summary>Warms up over <paramref name="warmupEpochs"/>, then follows <paramref name="after"/> (constant if null).</summary>
    public LinearWarmup(double warmupEpochs, LearningRateSchedule? after = null)
    {
        if (!(warmupEpochs > 0) || !double.IsFinite(warmupEpochs))
            throw new ArgumentOutOfRangeException(nameof(warmupEpochs), warmupEpochs, "warmupEpochs must be positive.");
        WarmupEpochs = warmupEpochs;
        After = after ?? new ConstantSchedule();
    }

    /// <summary>Length of the warm-up.</summary>
    public double WarmupEpochs { get; }

    /// <summary>The schedule after warm-up.</summary>
    public LearningRateSchedule After { get; }

    /// <inheritdoc/>
    public override double At(double baseRate, double epoch) =>
        epoch < WarmupEpochs ? baseRate * epoch / WarmupEpochs : After.At(baseRate, epoch - WarmupEpochs);
}
