namespace Engine.Tests.Data;

/// <summary>
/// The fitted parameters of <see cref="StandardScaler"/> and <see cref="MinMaxScaler"/> against a naive double loop,
/// the exact arithmetic of Transform and InverseTransform, and the guards around them.
/// </summary>
public class ScalerValueTests
{
    /// <summary>Rows × cols of varied values: column j has its own centre and spread, some columns negative.</summary>
    private static Matrix<float> Varied(int rows, int cols, ulong seed)
    {
        var rng = new Rng(seed);
        var x = new Matrix<float>(rows, cols);
        for (int i = 0; i < rows; i++)
        {
            for (int j = 0; j < cols; j++)
                x[i, j] = (float)rng.NextNormal((j % 11) - 5, 0.1 + (j % 7));
        }
        return x;
    }

    /// <summary>Mean and population standard deviation of column j, summed in row order in double.</summary>
    private static (double Mean, double Std) NaiveMoments(Matrix<float> x, int j)
    {
        double sum = 0;
        for (int i = 0; i < x.Rows; i++)
            sum += x[i, j];
        double mean = sum / x.Rows;
        double sq = 0;
        for (int i = 0; i < x.Rows; i++)
        {
            double d = x[i, j] - mean;
            sq += d * d;
        }
        return (mean, Math.Sqrt(sq / x.Rows));
    }

    [Theory]
    [InlineData(1, 3)]
    [InlineData(7, 1)]
    [InlineData(4, 255)] // one block of 255 columns (rounding the block count up one more would start a block past the last column)
    [InlineData(9, 300)] // two blocks of columns: 256 and 44
    [InlineData(5, 512)] // exactly two full blocks
    public void Standard_parameters_are_the_double_mean_and_reciprocal_population_std(int rows, int cols)
    {
        var x = Varied(rows, cols, (ulong)(rows * 1000 + cols));
        var scaler = new StandardScaler();
        scaler.Fit(x);
        var state = scaler.State;
        Assert.Equal("standard", state.Kind);
        Assert.Equal(cols, state.Offset.Length);
        Assert.Equal(cols, state.Scale.Length);
        for (int j = 0; j < cols; j++)
        {
            var (mean, std) = NaiveMoments(x, j);
            Assert.Equal((float)mean, state.Offset[j]);
            Assert.Equal(std > 1e-12 ? (float)(1 / std) : 1f, state.Scale[j]);
        }
    }

    [Fact]
    public void Standard_parameters_on_a_hand_column()
    {
        // 2, 4, 4, 4, 5, 5, 7, 9: mean 5, population std 2
        var x = new Matrix<float>(8, 2, [2, -1, 4, -1, 4, -1, 4, -1, 5, -1, 5, -1, 7, -1, 9, -1]);
        var scaler = new StandardScaler();
        scaler.Fit(x);
        Assert.Equal([5f, -1f], scaler.State.Offset);
        Assert.Equal([0.5f, 1f], scaler.State.Scale); // the constant column keeps scale 1
        scaler.Transform(x);
        Assert.Equal([-1.5f, -0.5f, -0.5f, -0.5f, 0, 0, 1, 2], Enumerable.Range(0, 8).Select(i => x[i, 0]));
        Assert.All(Enumerable.Range(0, 8), i => Assert.Equal(0f, x[i, 1]));
    }

    [Theory]
    [InlineData(1, 4)]
    [InlineData(6, 3)]
    [InlineData(40, 300)]
    public void MinMax_parameters_are_the_column_minimum_and_reciprocal_range(int rows, int cols)
    {
        var x = Varied(rows, cols, (ulong)(rows * 7 + cols));
        var scaler = new MinMaxScaler();
        scaler.Fit(x);
        var state = scaler.State;
        Assert.Equal("minmax", state.Kind);
        for (int j = 0; j < cols; j++)
        {
            float min = float.PositiveInfinity, max = float.NegativeInfinity;
            for (int i = 0; i < rows; i++)
            {
                min = Math.Min(min, x[i, j]);
                max = Math.Max(max, x[i, j]);
            }
            double range = (double)max - min;
            Assert.Equal(min, state.Offset[j]);
            Assert.Equal(range > 0 ? (float)(1 / range) : 1f, state.Scale[j]);
        }
    }

    [Fact]
    public void MinMax_parameters_on_a_hand_table()
    {
        // the extremes are on different rows, the minimum after the first row
        var x = new Matrix<float>(4, 2, [3, 10, -1, 20, 7, 0, 2, 5]);
        var scaler = new MinMaxScaler();
        scaler.Fit(x);
        Assert.Equal([-1f, 0f], scaler.State.Offset);
        Assert.Equal([0.125f, 0.05f], scaler.State.Scale);
        scaler.Transform(x);
        Assert.Equal([0.5f, 0.5f, 0f, 1f, 1f, 0f, 0.375f, 0.25f], x.AsSpan().ToArray());
    }

    [Fact]
    public void A_range_wider_than_float_is_taken_in_double()
    {
        // max − min overflows float32 but not double: the scale is 1 / 6e38, a tiny float, not 0 or 1
        var x = new Matrix<float>(2, 1, [-3e38f, 3e38f]);
        var scaler = new MinMaxScaler();
        scaler.Fit(x);
        Assert.Equal((float)(1 / ((double)3e38f + 3e38f)), scaler.State.Scale[0]);
        Assert.True(scaler.State.Scale[0] > 0);
    }

    [Fact]
    public void A_tiny_spread_counts_as_constant_and_a_small_one_does_not()
    {
        // column 0: population std 5e-13 (at most 1e-12: constant, scale 1); column 1: std 5e-7
        var x = new Matrix<float>(2, 2, [0, 0, 1e-12f, 1e-6f]);
        var scaler = new StandardScaler();
        scaler.Fit(x);
        Assert.Equal(1f, scaler.State.Scale[0]);
        var (_, std1) = NaiveMoments(x, 1);
        Assert.Equal((float)(1 / std1), scaler.State.Scale[1]);
        Assert.InRange(scaler.State.Scale[1], 1.9e6f, 2.1e6f);
    }

    [Fact]
    public void A_subnormal_range_whose_reciprocal_overflows_counts_as_constant()
    {
        float tiny = 1e-40f; // subnormal: 1 / 1e-40 is beyond float32
        Assert.True(float.IsSubnormal(tiny));
        var x = new Matrix<float>(3, 2, [0, 1, tiny, 2, 0, 5]);
        var scaler = new MinMaxScaler();
        scaler.Fit(x);
        Assert.Equal([1f, 0.25f], scaler.State.Scale);
        scaler.Transform(x);
        Assert.Equal(tiny, x[1, 0]); // (tiny − 0) · 1, finite
        Assert.True(x.AsSpan().ToArray().All(float.IsFinite));
    }

    [Theory]
    [InlineData("standard")]
    [InlineData("minmax")]
    public void Transform_and_inverse_are_the_affine_maps_in_float(string kind)
    {
        var train = Varied(30, 5, 11);
        var scaler = Scaler.Create(kind)!;
        scaler.Fit(train);
        float[] o = scaler.State.Offset, s = scaler.State.Scale;
        var x = Varied(4, 5, 12);
        var original = x.Clone();
        scaler.Transform(x);
        for (int i = 0; i < x.Rows; i++)
        {
            for (int j = 0; j < x.Cols; j++)
                Assert.Equal((original[i, j] - o[j]) * s[j], x[i, j]);
        }
        var scaled = x.Clone();
        scaler.InverseTransform(x);
        for (int i = 0; i < x.Rows; i++)
        {
            for (int j = 0; j < x.Cols; j++)
                Assert.Equal((scaled[i, j] / s[j]) + o[j], x[i, j]);
        }
        var row = original.Row(2).ToArray();
        scaler.TransformRow(row);
        Assert.Equal(scaled.Row(2).ToArray(), row);
    }

    [Fact]
    public void Fitting_again_replaces_the_parameters()
    {
        var scaler = new StandardScaler();
        scaler.Fit(new Matrix<float>(2, 1, [0, 2]));
        Assert.True(scaler.IsFitted);
        scaler.Fit(new Matrix<float>(2, 1, [10, 14]));
        Assert.Equal([12f], scaler.State.Offset);
        Assert.Equal([0.5f], scaler.State.Scale);
    }

    [Fact]
    public void State_and_FromState_copy_the_arrays()
    {
        var scaler = new MinMaxScaler();
        scaler.Fit(new Matrix<float>(2, 1, [1, 5]));
        var state = scaler.State;
        state.Offset[0] = 100;
        state.Scale[0] = 100;
        Assert.Equal([1f], scaler.State.Offset);
        Assert.Equal([0.25f], scaler.State.Scale);

        float[] offset = [2], scale = [4];
        var restored = Scaler.FromState(new ScalerState("standard", offset, scale));
        offset[0] = -7;
        scale[0] = -7;
        var x = new Matrix<float>(1, 1, [3]);
        restored.Transform(x);
        Assert.Equal(4f, x[0, 0]);
        Assert.IsType<StandardScaler>(restored);
        Assert.IsType<MinMaxScaler>(Scaler.FromState(new ScalerState("minmax", [0], [1])));
    }

    [Fact]
    public void Create_knows_three_kinds()
    {
        Assert.IsType<StandardScaler>(Scaler.Create("standard"));
        Assert.IsType<MinMaxScaler>(Scaler.Create("minmax"));
        Assert.Null(Scaler.Create("none"));
        var e = Assert.Throws<ArgumentException>(() => Scaler.Create("Standard"));
        Assert.Equal("kind", e.ParamName);
        Assert.Contains("Unknown scaler 'Standard' (expected standard, minmax or none)", e.Message, StringComparison.Ordinal);
    }

    public static TheoryData<ScalerState, string> BadStates => new()
    {
        { new ScalerState("none", [0], [1]), "cannot be of kind 'none'" },
        { new ScalerState("standard", null!, [1]), "offset and scale arrays of equal length" },
        { new ScalerState("standard", [0], null!), "offset and scale arrays of equal length" },
        { new ScalerState("minmax", [0, 1], [1]), "offset and scale arrays of equal length" },
        { new ScalerState("minmax", [0], [1, 1]), "offset and scale arrays of equal length" },
        { new ScalerState("standard", [1, float.PositiveInfinity], [1, 1]), "non-finite offset" },
        { new ScalerState("standard", [1, 2], [1, float.NaN]), "non-finite scale" },
        { new ScalerState("standard", [1, 2], [float.NegativeInfinity, 1]), "non-finite scale" },
        { new ScalerState("minmax", [1, 2], [3, 0]), "zero or non-finite scale" },
    };

    [Theory]
    [MemberData(nameof(BadStates))]
    public void FromState_refuses_each_bad_state(ScalerState state, string words)
    {
        var e = Assert.Throws<ArgumentException>(() => Scaler.FromState(state));
        Assert.Equal("state", e.ParamName);
        Assert.Contains(words, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromState_takes_negative_scales_and_offsets()
    {
        var s = Scaler.FromState(new ScalerState("minmax", [-2, 0], [-0.5f, 1e-30f]));
        var x = new Matrix<float>(1, 2, [2, 1e30f]);
        s.Transform(x);
        Assert.Equal([-2f, 1e30f * 1e-30f], x.AsSpan().ToArray());
        Assert.Throws<ArgumentNullException>(() => Scaler.FromState(null!));
    }

    [Theory]
    [InlineData("standard")]
    [InlineData("minmax")]
    public void Guards_name_the_scaler_and_the_shapes(string kind)
    {
        var scaler = Scaler.Create(kind)!;
        var unfitted = Assert.Throws<InvalidOperationException>(() => scaler.Transform(new Matrix<float>(1, 1)));
        Assert.Equal($"The {kind} scaler has not been fitted.", unfitted.Message);
        Assert.Throws<InvalidOperationException>(() => scaler.TransformRow(new float[1]));

        Assert.Throws<ArgumentNullException>(() => scaler.Fit(null!));
        var empty = Assert.Throws<ArgumentException>(() => scaler.Fit(new Matrix<float>(0, 3)));
        Assert.Equal("x", empty.ParamName);
        Assert.Contains("zero rows", empty.Message, StringComparison.Ordinal);
        Assert.False(scaler.IsFitted);

        scaler.Fit(Varied(3, 2, 1));
        Assert.Throws<ArgumentNullException>(() => scaler.Transform(null!));
        var wide = Assert.Throws<ArgumentException>(() => scaler.InverseTransform(new Matrix<float>(4, 3)));
        Assert.Equal("x", wide.ParamName);
        Assert.Contains($"The {kind} scaler was fitted on 2 columns but got 4×3.", wide.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => scaler.Transform(new Matrix<float>(4, 1)));
    }

    [Fact]
    public void Zero_rows_transform_to_nothing()
    {
        var scaler = new StandardScaler();
        scaler.Fit(new Matrix<float>(2, 2, [1, 2, 3, 4]));
        var x = new Matrix<float>(0, 2);
        scaler.Transform(x);
        scaler.InverseTransform(x);
        Assert.Equal(0, x.Rows);
    }
}
