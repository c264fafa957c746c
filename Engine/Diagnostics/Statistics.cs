namespace Engine.Diagnostics;

/// <summary>Moments over spans, accumulated in double.</summary>
public static class Statistics
{
    /// <summary>(mean, population std) of <paramref name="values"/>; (0, 0) when empty.</summary>
    public static (double Mean, double Std) MeanStd(ReadOnlySpan<float> values)
    {
        if (values.IsEmpty)
            return (0, 0);
        // Two passes: the mean first, then Σ(x − mean)², which does not cancel catastrophically.
        double sum = 0;
        foreach (float v in values)
            sum += v;
        double mean = sum / values.Length;
        double squares = 0;
        foreach (float v in values)
            squares += (v - mean) * (v - mean);
        return (mean, Math.Sqrt(squares / values.Length));
    }

    /// <summary>Share of columns of an n×units matrix whose value is ≤ 0 in every row: units that are dead on this batch.</summary>
    public static double DeadFraction(Matrix<float> activations)
    {
        ArgumentNullException.ThrowIfNull(activations);
        if (activations.Cols == 0 || activations.Rows == 0)
            return 0;
        var alive = new bool[activations.Cols];
        for (int i = 0; i < activations.Rows; i++)
        {
            var row = activations.Row(i);
            for (int j = 0; j < row.Length; j++)
            {
                if (row[j] > 0)
                    alive[j] = true;
            }
        }
        return (double)alive.Count(a => !a) / activations.Cols;
    }

    /// <summary>
    /// Share of <paramref name="values"/> beyond <paramref name="level"/> in magnitude: |y| &gt; level for tanh, or, with
    /// <paramref name="sigmoid"/>, |2y − 1| &gt; level (the same pre-activations, as tanh(x/2) = 2σ(x) − 1); 0 when empty.
    /// </summary>
    public static double SaturatedFraction(ReadOnlySpan<float> values, bool sigmoid, double level)
    {
        if (values.IsEmpty)
            return 0;
        int count = 0;
        foreach (float v in values)
        {
            double centred = sigmoid ? 2.0 * v - 1.0 : v;
            if (Math.Abs(centred) > level)
                count++;
        }
        return (double)count / values.Length;
    }
}
