namespace Engine.Losses;

/// <summary>
/// Softmax and cross-entropy fused, from logits z with integer class targets (stored as whole numbers in
/// an n×1 matrix), as PyTorch's CrossEntropyLoss. With label smoothing ε the target distribution is
/// q = (1 − ε)·onehot + ε/C. Per row: L = logΣexp(z) − Σ q·z (log-sum-exp shifted by max z, so large
/// logits do not overflow); dL/dz = (softmax(z) − q)/n.
/// </summary>
public sealed class SoftmaxCrossEntropy<T> : Loss<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Creates the loss; <paramref name="labelSmoothing"/> must be in [0, 1).</summary>
    public SoftmaxCrossEntropy(double labelSmoothing = 0)
    {
        if (!(labelSmoothing >= 0 && labelSmoothing < 1))
            throw new ArgumentOutOfRangeException(nameof(labelSmoothing), labelSmoothing, "labelSmoothing must be in [0, 1).");
        LabelSmoothing = labelSmoothing;
    }

    /// <summary>ε.</summary>
    public double LabelSmoothing { get; }

    /// <inheritdoc/>
    public override string Name => "SoftmaxCrossEntropy";

    /// <inheritdoc/>
    public override double Forward(Matrix<T> output, Matrix<T> target)
    {
        CheckRows(output, target);
        Check.Columns(target, 1, nameof(target));
        int n = output.Rows, classes = output.Cols;
        var grad = Matrix<T>.Reuse(ref _grad, n, classes);
        if (n == 0)
            return 0;
        T eps = T.CreateChecked(LabelSmoothing);
        T offTarget = eps / T.CreateChecked(classes);          // q for the other classes
        T onTarget = T.One - eps + offTarget;                   // q for the labelled class
        T invN = T.One / T.CreateChecked(n);
        double total = 0;
        for (int i = 0; i < n; i++)
        {
            int label = Label(target[i, 0], i, classes);
            ReadOnlySpan<T> z = output.Row(i);
            Span<T> g = grad.Row(i);
            T max = TensorPrimitives.Max(z);
            TensorPrimitives.Subtract(z, max, g);
            TensorPrimitives.Exp(g, g);
            T sumExp = TensorPrimitives.Sum<T>(g);
            T logSumExp = max + T.Log(sumExp);
            // Σ q·z = ε/C · Σz + (1 − ε)·z[label]
            T qDotZ = offTarget * TensorPrimitives.Sum(z) + (onTarget - offTarget) * z[label];
            total += double.CreateTruncating(logSumExp - qDotZ);
            // g = (softmax − q)/n
            TensorPrimitives.Multiply(g, T.One / sumExp, g);
            TensorPrimitives.Subtract(g, offTarget, g);
            g[label] -= onTarget - offTarget;
            TensorPrimitives.Multiply(g, invN, g);
        }
        return total / n;
    }

    private static int Label(T value, int row, int classes)
    {
        if (!T.IsInteger(value) || value < T.Zero || value >= T.CreateChecked(classes))
            throw new ArgumentException($"Target at row {row} is {value}; class targets must be whole numbers in [0, {classes}).", "target");
        return int.CreateChecked(value);
    }
}
