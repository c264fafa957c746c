using Engine.Layers;

namespace Engine.Optimizers;

/// <summary>Gradient clipping by global norm, as torch.nn.utils.clip_grad_norm_.</summary>
public static class GradientClipping
{
    /// <summary>
    /// total = √Σᵢ‖gᵢ‖² over every parameter's gradient; when total &gt; <paramref name="maxNorm"/>, every
    /// gradient is scaled in place by maxNorm / (total + 1e-6), so the global norm becomes (just under) maxNorm.
    /// Returns the norm before clipping. Allocation-free: one TensorPrimitives pass per parameter to
    /// measure, one to scale.
    /// </summary>
    public static double ClipByGlobalNorm<T>(IReadOnlyList<Parameter<T>> parameters, double maxNorm)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (!(maxNorm > 0) || !double.IsFinite(maxNorm))
            throw new ArgumentOutOfRangeException(nameof(maxNorm), maxNorm, $"maxNorm must be a positive finite number, got {maxNorm}.");
        // Per-tensor norms combined in double, as torch does (norm of the norms).
        double sumOfSquares = 0;
        for (int i = 0; i < parameters.Count; i++)
        {
            ReadOnlySpan<T> g = parameters[i].Grad.AsSpan();
            double norm = double.CreateChecked(TensorPrimitives.Norm(g));
            if (double.IsPositiveInfinity(norm))
                norm = NormInDouble(g); // float squares overflow above ~1.8e19: redo this rare case in double
            sumOfSquares += norm * norm;
        }
        double total = Math.Sqrt(sumOfSquares);
        if (total > maxNorm)
        {
            T scale = T.CreateChecked(maxNorm / (total + 1e-6));
            for (int i = 0; i < parameters.Count; i++)
            {
                Span<T> g = parameters[i].Grad.AsSpan();
                TensorPrimitives.Multiply(g, scale, g);
            }
        }
        return total;
    }

    private static double NormInDouble<T>(ReadOnlySpan<T> values)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        double sum = 0;
        foreach (T v in values)
        {
            double d = double.CreateChecked(v);
            sum += d * d;
        }
        return Math.Sqrt(sum);
    }
}
