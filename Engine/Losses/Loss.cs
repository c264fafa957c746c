namespace Engine.Losses;

/// <summary>
/// A loss over a batch: <see cref="Forward"/> returns the mean loss and caches what the gradient needs;
/// <see cref="Backward"/> returns dL/d(output) (already divided by the batch), owned by the loss and
/// reused across batches.
/// </summary>
public abstract class Loss<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>The gradient buffer, (batch, outputs).</summary>
    private protected Matrix<T>? _grad;

    /// <summary>e.g. "CrossEntropy".</summary>
    public abstract string Name { get; }

    /// <summary>Mean loss of <paramref name="output"/> against <paramref name="target"/>.</summary>
    public abstract double Forward(Matrix<T> output, Matrix<T> target);

    /// <summary>dL/d(output) for the last <see cref="Forward"/>.</summary>
    public Matrix<T> Backward() =>
        _grad ?? throw new InvalidOperationException($"{Name}.Backward was called before Forward.");

    /// <summary>Throws unless output and target have the same number of rows.</summary>
    private protected static void CheckRows(Matrix<T> output, Matrix<T> target)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(target);
        if (output.Rows != target.Rows)
            throw new ArgumentException($"Shape mismatch: output is {output.ShapeString} but target is {target.ShapeString}; the row counts must agree.", nameof(target));
    }

    /// <summary>
    /// For a loss averaged over all n·k elements of an output shaped like its target (MSE, BCE): checks the
    /// shapes and returns the gradient buffer, sized like the output.
    /// </summary>
    private protected Span<T> ElementwiseGradient(Matrix<T> output, Matrix<T> target)
    {
        CheckRows(output, target);
        Check.SameShape(output, target, nameof(output), nameof(target));
        return Matrix<T>.Reuse(ref _grad, output.Rows, output.Cols).AsSpan();
    }
}
