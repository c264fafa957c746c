namespace Engine.Tests.Data;

public class ScalerTests
{
    private static Matrix<float> Random(int rows, int cols, ulong seed)
    {
        var rng = new Rng(seed);
        var x = new Matrix<float>(rows, cols);
        for (int i = 0; i < rows; i++)
        {
            for (int j = 0; j < cols; j++)
                x[i, j] = (float)rng.NextNormal(10 * j - 7, j + 0.5);
        }
        return x;
    }

    private static (double Mean, double Std, float Min, float Max) Column(Matrix<float> x, int j)
    {
        double sum = 0, sq = 0;
        float min = float.MaxValue, max = float.MinValue;
        for (int i = 0; i < x.Rows; i++)
        {
            sum += x[i, j];
            min = Math.Min(min, x[i, j]);
            max = Math.Max(max, x[i, j]);
        }
        double mean = sum / x.Rows;
        for (int i = 0; i < x.Rows; i++)
            sq += (x[i, j] - mean) * (x[i, j] - mean);
        return (mean, Math.Sqrt(sq / x.Rows), min, max);
    }

    [Fact]
    public void Standard_scaler_gives_zero_mean_unit_std()
    {
        var x = Random(500, 5, 1);
        var scaler = new StandardScaler();
        scaler.Fit(x);
        scaler.Transform(x);
        for (int j = 0; j < 5; j++)
        {
            var (mean, std, _, _) = Column(x, j);
            Assert.InRange(mean, -1e-5, 1e-5);
            Assert.InRange(std, 1 - 1e-5, 1 + 1e-5);
        }
    }

    [Fact]
    public void MinMax_scaler_maps_to_unit_interval()
    {
        var x = Random(500, 5, 2);
        var scaler = new MinMaxScaler();
        scaler.Fit(x);
        scaler.Transform(x);
        for (int j = 0; j < 5; j++)
        {
            var (_, _, min, max) = Column(x, j);
            Assert.Equal(0f, min);
            Assert.InRange(max, 1 - 1e-6f, 1 + 1e-6f);
        }
    }

    [Theory]
    [InlineData("standard")]
    [InlineData("minmax")]
    public void Constant_column_becomes_zero_not_nan(string kind)
    {
        var x = Random(50, 3, 3);
        for (int i = 0; i < x.Rows; i++)
            x[i, 1] = 4.25f;
        var scaler = Scaler.Create(kind)!;
        scaler.Fit(x);
        scaler.Transform(x);
        for (int i = 0; i < x.Rows; i++)
        {
            Assert.Equal(0f, x[i, 1]);
            Assert.True(float.IsFinite(x[i, 0]) && float.IsFinite(x[i, 2]));
        }
    }

    [Theory]
    [InlineData("standard")]
    [InlineData("minmax")]
    public void InverseTransform_undoes_Transform(string kind)
    {
        var x = Random(200, 4, 4);
        var original = x.Clone();
        var scaler = Scaler.Create(kind)!;
        scaler.Fit(x);
        scaler.Transform(x);
        Assert.NotEqual(original.AsSpan().ToArray(), x.AsSpan().ToArray());
        scaler.InverseTransform(x);
        var a = original.AsSpan();
        var b = x.AsSpan();
        for (int i = 0; i < a.Length; i++)
            Assert.InRange(b[i], a[i] - (1e-5f * (1 + Math.Abs(a[i]))), a[i] + (1e-5f * (1 + Math.Abs(a[i]))));
    }

    [Fact]
    public void Test_rows_are_scaled_with_train_statistics()
    {
        var train = new Matrix<float>(4, 1, [1, 2, 3, 4]);
        var test = new Matrix<float>(2, 1, [2.5f, 10]);
        var scaler = new StandardScaler();
        scaler.Fit(train);
        scaler.Transform(test);
        double std = Math.Sqrt(1.25); // population std of 1..4
        Assert.Equal(0f, test[0, 0]);
        Assert.Equal((float)(7.5 / std), test[1, 0], 5);

        var minmax = new MinMaxScaler();
        minmax.Fit(train);
        var test2 = new Matrix<float>(2, 1, [2.5f, 10]);
        minmax.Transform(test2);
        Assert.Equal(0.5f, test2[0, 0], 6);
        Assert.Equal(3f, test2[1, 0], 6);
    }

    [Theory]
    [InlineData("standard")]
    [InlineData("minmax")]
    public void FromState_round_trips(string kind)
    {
        var x = Random(100, 3, 5);
        var scaler = Scaler.Create(kind)!;
        scaler.Fit(x);
        var restored = Scaler.FromState(scaler.State);
        Assert.Equal(kind, restored.Kind);
        Assert.True(restored.IsFitted);
        Assert.Equal(scaler.State.Offset, restored.State.Offset);
        Assert.Equal(scaler.State.Scale, restored.State.Scale);
        var a = x.Clone();
        var b = x.Clone();
        scaler.Transform(a);
        restored.Transform(b);
        Assert.Equal(a.AsSpan().ToArray(), b.AsSpan().ToArray());
    }

    [Fact]
    public void FromState_refuses_bad_states()
    {
        Assert.Throws<ArgumentException>(() => Scaler.FromState(new ScalerState("standard", [0, 1], [1])));
        Assert.Throws<ArgumentException>(() => Scaler.FromState(new ScalerState("standard", [0], [0])));
        Assert.Throws<ArgumentException>(() => Scaler.FromState(new ScalerState("minmax", [float.NaN], [1])));
        Assert.Throws<ArgumentException>(() => Scaler.FromState(new ScalerState("none", [0], [1])));
        Assert.Throws<ArgumentException>(() => Scaler.Create("robust"));
    }

    [Theory]
    [InlineData("standard")]
    [InlineData("minmax")]
    public void Unfitted_scaler_throws_InvalidOperation(string kind)
    {
        var scaler = Scaler.Create(kind)!;
        Assert.False(scaler.IsFitted);
        var x = Random(3, 2, 6);
        Assert.Throws<InvalidOperationException>(() => scaler.Transform(x));
        Assert.Throws<InvalidOperationException>(() => scaler.InverseTransform(x));
        Assert.Throws<InvalidOperationException>(() => scaler.State);
    }

    [Fact]
    public void Width_mismatch_and_empty_fit_throw()
    {
        var scaler = new StandardScaler();
        Assert.Throws<ArgumentException>(() => scaler.Fit(new Matrix<float>(0, 2)));
        scaler.Fit(Random(10, 2, 7));
        Assert.Throws<ArgumentException>(() => scaler.Transform(Random(3, 3, 8)));
    }
}
