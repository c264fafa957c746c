namespace Engine.Training;

/// <summary>
/// Errors of regression predictions in the target's units: MAE, RMSE, R², and quantiles of the residuals
/// (target − prediction) at 0, 5, 25, 50, 75, 95 and 100 % (linear interpolation between order statistics, numpy's
/// default), which show a bias (median away from 0) or a heavy tail (5 % and 95 % far apart) that the means hide.
/// </summary>
public sealed record RegressionReport(double Mae, double Rmse, double R2, IReadOnlyList<(double Quantile, double Residual)> ResidualQuantiles)
{
    /// <summary>The quantiles reported.</summary>
    public static IReadOnlyList<double> Quantiles { get; } = [0, 0.05, 0.25, 0.5, 0.75, 0.95, 1];

    /// <summary>The report for <paramref name="predictions"/> against <paramref name="targets"/> (both n × 1, n ≥ 1).</summary>
    public static RegressionReport From(Matrix<float> predictions, Matrix<float> targets)
    {
        ArgumentNullException.ThrowIfNull(predictions);
        ArgumentNullException.ThrowIfNull(targets);
        double[] residuals = new double[targets.Length];
        Check.SameShape(predictions, targets, nameof(predictions), nameof(targets));
        for (int i = 0; i < residuals.Length; i++)
            residuals[i] = (double)targets.AsSpan()[i] - predictions.AsSpan()[i];
        Array.Sort(residuals);
        return new RegressionReport(Metrics.Mae(predictions, targets), Metrics.Rmse(predictions, targets), Metrics.R2(predictions, targets),
            [.. Quantiles.Select(q => (q, Quantile(residuals, q)))]);
    }

    // numpy's "linear": position q·(n − 1) between the sorted values.
    private static double Quantile(double[] sorted, double q)
    {
        double position = q * (sorted.Length - 1);
        int below = (int)Math.Floor(position);
        int above = Math.Min(below + 1, sorted.Length - 1);
        return sorted[below] + (position - below) * (sorted[above] - sorted[below]);
    }
}
