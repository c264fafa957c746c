namespace Engine.Losses;

/// <summary>
/// Binary cross-entropy from logits z with targets t in [0, 1], per element, averaged over all elements
/// (PyTorch's BCEWithLogitsLoss). Stable form: L = max(z, 0) − z·t + log(1 + e^−|z|); dL/dz = (σ(z) − t)/(n·k).
/// </summary>
public sealed class BinaryCrossEntropy<T> : Loss<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <inheritdoc/>
    public override string Name => "BinaryCrossEntropy";

    /// <inheritdoc/>
    public override double Forward(Matrix<T> output, Matrix<T> target)
    {
        Span<T> g = ElementwiseGradient(output, target);
        int count = g.Length;
        if (count == 0)
            return 0;
        ReadOnlySpan<T> z = output.AsSpan(), t = target.AsSpan();
        T invCount = T.One / T.CreateChecked(count);
        double total = 0;
        for (int i = 0; i < count; i++)
        {
            T zi = z[i], ti = t[i];
            if (!(ti >= T.Zero && ti <= T.One))
                throw new ArgumentException($"Target {i} is {ti}; binary targets must be in [0, 1].", nameof(target));
            T e = T.Exp(-T.Abs(zi));
            total += double.CreateTruncating(T.Max(zi, T.Zero) - zi * ti + T.LogP1(e));
            // σ(z) computed from e = e^−|z| so it never overflows
            T sigmoid = zi >= T.Zero ? T.One / (T.One + e) : e / (T.One + e);
            g[i] = (sigmoid - ti) * invCount;
        }
        return total / count;
    }
}
