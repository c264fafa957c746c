namespace Engine.Data;

/// <summary>
/// Per-column affine preprocessing fitted on training rows only: x' = (x − offset) · scale.
/// A constant column gets scale 1 (as scikit-learn does), so it maps to 0 instead of dividing by zero.
/// </summary>
public abstract class Scaler
{
    private float[]? _offset;
    private float[]? _scale;

    /// <summary>"standard" or "minmax".</summary>
    public abstract string Kind { get; }

    /// <summary>Whether <see cref="Fit"/> (or a saved state) has set the parameters.</summary>
    public bool IsFitted => _offset is not null;

    /// <summary>The fitted parameters, for model files.</summary>
    public ScalerState State => new(Kind, [.. Offset], [.. Scale]);

    private float[] Offset => _offset ?? throw new InvalidOperationException($"The {Kind} scaler has not been fitted.");

    private float[] Scale => _scale ?? throw new InvalidOperationException($"The {Kind} scaler has not been fitted.");

    /// <summary>Learns offset and scale per column of <paramref name="x"/> (n × d, n ≥ 1).</summary>
    public void Fit(Matrix<float> x)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.Rows == 0)
            throw new ArgumentException("Cannot fit a scaler on zero rows.", nameof(x));
        (_offset, _scale) = Compute(x);
    }

    /// <summary>x = (x − offset) · scale, in place.</summary>
    public void Transform(Matrix<float> x) => EachRow(x, inverse: false);

    /// <summary>x = x / scale + offset, in place: undoes <see cref="Transform"/>.</summary>
    public void InverseTransform(Matrix<float> x) => EachRow(x, inverse: true);

    private void EachRow(Matrix<float> x, bool inverse)
    {
        CheckWidth(x);
        for (int i = 0; i < x.Rows; i++)
        {
            var row = x.Row(i);
            if (inverse)
            {
                TensorPrimitives.Divide(row, Scale, row);
                TensorPrimitives.Add(row, Offset, row);
            }
            else
            {
                TransformRow(row);
            }
        }
    }

    // One row of Transform, for callers that fill and scale a row in one pass (it is still in cache).
    internal void TransformRow(Span<float> row)
    {
        TensorPrimitives.Subtract(row, Offset, row);
        TensorPrimitives.Multiply(row, Scale, row);
    }

    /// <summary>The scaler for <paramref name="kind"/>: "standard", "minmax", or "none" (null).</summary>
    public static Scaler? Create(string kind) => kind switch
    {
        "standard" => new StandardScaler(),
        "minmax" => new MinMaxScaler(),
        "none" => null,
        _ => throw new ArgumentException($"Unknown scaler '{kind}' (expected standard, minmax or none).", nameof(kind)),
    };

    /// <summary>A fitted scaler from a saved state.</summary>
    public static Scaler FromState(ScalerState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        var scaler = Create(state.Kind) ?? throw new ArgumentException("A saved scaler cannot be of kind 'none'.", nameof(state));
        if (state.Offset is null || state.Scale is null || state.Offset.Length != state.Scale.Length)
            throw new ArgumentException("A saved scaler needs offset and scale arrays of equal length.", nameof(state));
        if (state.Offset.Any(v => !float.IsFinite(v)) || state.Scale.Any(v => !float.IsFinite(v) || v == 0))
            throw new ArgumentException("A saved scaler has a non-finite offset or a zero or non-finite scale.", nameof(state));
        scaler._offset = [.. state.Offset];
        scaler._scale = [.. state.Scale];
        return scaler;
    }

    /// <summary>Offset and scale per column, accumulated in double.</summary>
    private protected abstract (float[] Offset, float[] Scale) Compute(Matrix<float> x);

    /// <summary>
    /// Scale = 1 / spread per column; a column whose spread is at most <paramref name="constantAtMost"/> counts as
    /// constant and keeps scale 1, so it maps to 0 instead of dividing by zero.
    /// </summary>
    // A spread whose reciprocal overflows float32 (subnormal values: a range below ~3e-39) counts as constant too.
    private protected static float[] ScaleFor(double[] spread, double constantAtMost) =>
        Array.ConvertAll(spread, s => s > constantAtMost && float.IsFinite((float)(1 / s)) ? (float)(1 / s) : 1f);

    private void CheckWidth(Matrix<float> x)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.Cols != Offset.Length)
            throw new ArgumentException($"The {Kind} scaler was fitted on {Offset.Length} columns but got {x.ShapeString}.", nameof(x));
    }
}

/// <summary>Standardization: x' = (x − mean) / std, std the population standard deviation.</summary>
public sealed class StandardScaler : Scaler
{
    /// <inheritdoc/>
    public override string Kind => "standard";

    private protected override (float[] Offset, float[] Scale) Compute(Matrix<float> x)
    {
        int d = x.Cols;
        var mean = new double[d];
        var std = new double[d];
        // Blocks of columns in parallel, each summed down the rows in row order, a row's block at a time in double
        // (exact conversion, then one subtract, multiply and add per element, as a scalar loop would): the same sums
        // whatever the threads.
        const int Block = 256;
        Parallel.For(0, (d + Block - 1) / Block, block =>
        {
            int j0 = block * Block, width = Math.Min(Block, d - j0);
            Span<double> wide = stackalloc double[width];
            Span<double> m = mean.AsSpan(j0, width), s = std.AsSpan(j0, width);
            for (int i = 0; i < x.Rows; i++)
            {
                TensorPrimitives.ConvertChecked<float, double>(x.Row(i).Slice(j0, width), wide);
                TensorPrimitives.Add(m, wide, m);
            }
            TensorPrimitives.Divide(m, x.Rows, m);
            for (int i = 0; i < x.Rows; i++)
            {
                TensorPrimitives.ConvertChecked<float, double>(x.Row(i).Slice(j0, width), wide);
                TensorPrimitives.Subtract(wide, m, wide);
                TensorPrimitives.Multiply(wide, wide, wide);
                TensorPrimitives.Add(s, wide, s);
            }
            TensorPrimitives.Divide(s, x.Rows, s);
            TensorPrimitives.Sqrt(s, s);
        });
        return (Array.ConvertAll(mean, m => (float)m), ScaleFor(std, constantAtMost: 1e-12));
    }
}

/// <summary>Min-max scaling to [0, 1]: x' = (x − min) / (max − min).</summary>
public sealed class MinMaxScaler : Scaler
{
    /// <inheritdoc/>
    public override string Kind => "minmax";

    private protected override (float[] Offset, float[] Scale) Compute(Matrix<float> x)
    {
        float[] min = x.Row(0).ToArray(), max = x.Row(0).ToArray();
        for (int i = 1; i < x.Rows; i++)
        {
            TensorPrimitives.Min(min, x.Row(i), min);
            TensorPrimitives.Max(max, x.Row(i), max);
        }
        var range = new double[min.Length];
        for (int j = 0; j < range.Length; j++)
            range[j] = (double)max[j] - min[j];
        return (min, ScaleFor(range, constantAtMost: 0));
    }
}
