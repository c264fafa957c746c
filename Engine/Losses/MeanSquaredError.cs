namespace Engine.Losses;

/// <summary>L = (1/(n·k)) Σ (y − t)², over all n×k elements (PyTorch's MSELoss, reduction 'mean'); dL/dy = 2(y − t)/(n·k).</summary>
public sealed class MeanSquaredError<T> : Loss<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <inheritdoc/>
    public override string Name => "MeanSquaredError";

    /// <inheritdoc/>
    public override double Forward(Matrix<T> output, Matrix<T> target)
    {
        var g = ElementwiseGradient(output, target);
        int count = g.Length;
        if (count == 0)
            return 0;
        TensorPrimitives.Subtract(output.AsSpan(), target.AsSpan(), g);
        double sumSq = double.CreateTruncating(TensorPrimitives.SumOfSquares<T>(g));
        TensorPrimitives.Multiply(g, T.CreateChecked(2.0 / count), g);
        return sumSq / count;
    }
}
