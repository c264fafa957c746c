namespace Engine.Tests.Losses;

/// <summary>
/// Loss values and gradients against hand values and a naive double reference written from the definition
/// (not the fused implementation): label smoothing spreads ε over all C classes, MSE and BCE average over all
/// n·k elements. The gradient checks elsewhere cannot see these: a loss consistently scaled or smoothed the
/// wrong way in forward and backward still passes them.
/// </summary>
public class LossValueTests
{
    private const double Tol = 1e-12;

    private static Matrix<double> M(int rows, int cols, params double[] values) => new(rows, cols, values);

    private static void AssertClose(double expected, double actual, string what) =>
        Assert.True(Math.Abs(expected - actual) <= Tol * Math.Max(1, Math.Abs(expected)), $"{what}: expected {expected:R}, got {actual:R}");

    [Fact]
    public void MseAveragesOverEveryElementOfEveryColumn()
    {
        // 3 rows × 2 outputs; differences 1, 2, 3, 4, 5, 6: Σd² = 91 over n·k = 6 elements
        var y = M(3, 2, 1, 2, 3, 4, 5, 6);
        var t = new Matrix<double>(3, 2);
        var loss = new MeanSquaredError<double>();
        AssertClose(91.0 / 6, loss.Forward(y, t), "loss");
        var g = loss.Backward().AsSpan();
        for (int i = 0; i < 6; i++)
            AssertClose(2.0 * (i + 1) / 6, g[i], $"dL/dy[{i}]"); // 2(y − t)/(n·k)
    }

    [Fact]
    public void MseOnOneColumnByHand()
    {
        var loss = new MeanSquaredError<double>();
        // (0.5 − 1)² + (−1 − 1)² = 0.25 + 4 over 2
        AssertClose(2.125, loss.Forward(M(2, 1, 0.5, -1), M(2, 1, 1, 1)), "loss");
        Assert.Equal([-0.5, -2.0], loss.Backward().AsSpan().ToArray());
    }

    [Fact]
    public void BceAveragesOverEveryElementOfEveryColumn()
    {
        // z = 0 gives ln 2 for either target; the others from −[t ln σ(z) + (1−t) ln(1−σ(z))], σ computed naively
        double[] z = [0, 2, -3, 1.5, 0, -0.5];
        double[] t = [1, 0, 1, 1, 0, 0];
        var loss = new BinaryCrossEntropy<double>();
        double value = loss.Forward(M(2, 3, z), M(2, 3, t));
        double sum = 0;
        var grad = loss.Backward().AsSpan();
        for (int i = 0; i < 6; i++)
        {
            double s = 1 / (1 + Math.Exp(-z[i]));
            sum += -(t[i] * Math.Log(s) + (1 - t[i]) * Math.Log(1 - s));
            AssertClose((s - t[i]) / 6, grad[i], $"dL/dz[{i}]");
        }
        AssertClose(sum / 6, value, "loss");
        Assert.Equal(Math.Log(2) / 1, new BinaryCrossEntropy<double>().Forward(M(1, 1, 0), M(1, 1, 1)), 15);
    }

    [Fact]
    public void BceFromLargeLogitsIsFiniteAndExact()
    {
        // z = 100, t = 0: L = 100 + ln(1 + e^−100) ≈ 100; z = −100, t = 0: L = ln(1 + e^−100) ≈ 3.7e−44
        var loss = new BinaryCrossEntropy<double>();
        AssertClose((100 + 3.720075976020836e-44) / 2, loss.Forward(M(1, 2, 100, -100), M(1, 2, 0, 0)), "loss");
        var g = loss.Backward().AsSpan();
        AssertClose(0.5, g[0], "dL/dz[0]");
        Assert.True(g[1] > 0 && g[1] < 1e-43);
    }

    /// <summary>−Σ q·log softmax(z), q = (1 − ε)·onehot + ε/C, averaged over the rows; and (softmax − q)/n.</summary>
    private static (double Loss, double[] Grad) Reference(double[][] logits, int[] labels, double eps)
    {
        int n = logits.Length, c = logits[0].Length;
        double total = 0;
        var grad = new double[n * c];
        for (int i = 0; i < n; i++)
        {
            double[] p = [.. logits[i].Select(Math.Exp)];
            double sum = p.Sum();
            for (int k = 0; k < c; k++)
            {
                double q = (k == labels[i] ? 1 - eps : 0) + eps / c;
                total -= q * Math.Log(p[k] / sum);
                grad[i * c + k] = (p[k] / sum - q) / n;
            }
        }
        return (total / n, grad);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.1)]
    [InlineData(0.3)]
    public void SoftmaxCrossEntropyWithLabelSmoothingMatchesTheDefinition(double eps)
    {
        double[][] z = [[1.0, -0.5, 2.0, 0.25], [0.0, 0.0, 0.0, 0.0], [-3.0, 4.0, 1.0, -1.0]];
        int[] labels = [2, 1, 0];
        var (expectedLoss, expectedGrad) = Reference(z, labels, eps);
        var loss = new SoftmaxCrossEntropy<double>(eps);
        double value = loss.Forward(M(3, 4, [.. z.SelectMany(r => r)]), M(3, 1, [.. labels.Select(l => (double)l)]));
        AssertClose(expectedLoss, value, "loss");
        var g = loss.Backward().AsSpan();
        for (int i = 0; i < expectedGrad.Length; i++)
            AssertClose(expectedGrad[i], g[i], $"dL/dz[{i}]");
    }

    [Fact]
    public void LabelSmoothingByHandOnEqualLogits()
    {
        // Equal logits: softmax = 1/C everywhere, so L = −Σq·ln(1/C) = ln C whatever q is,
        // and dL/dz = (1/C − q)/n: for C = 4, ε = 0.2, n = 1: q = (0.85, 0.05, 0.05, 0.05) → (−0.6, 0.2, 0.2, 0.2).
        var loss = new SoftmaxCrossEntropy<double>(0.2);
        AssertClose(Math.Log(4), loss.Forward(new Matrix<double>(1, 4), M(1, 1, 0)), "loss");
        var g = loss.Backward().AsSpan().ToArray();
        double[] expected = [-0.6, 0.2, 0.2, 0.2];
        for (int k = 0; k < 4; k++)
            AssertClose(expected[k], g[k], $"dL/dz[{k}]");
        // the smoothed target sums to 1, so the gradient of each row sums to 0
        AssertClose(0, g.Sum(), "Σ dL/dz");
    }

    [Fact]
    public void CrossEntropyByHandOnTwoClasses()
    {
        // z = (0, ln 3): softmax = (1/4, 3/4); label 0 → L = ln 4; label 1 → L = ln(4/3); mean over both rows
        double ln3 = Math.Log(3);
        var loss = new SoftmaxCrossEntropy<double>();
        AssertClose((Math.Log(4) + Math.Log(4.0 / 3)) / 2, loss.Forward(M(2, 2, 0, ln3, 0, ln3), M(2, 1, 0, 1)), "loss");
        double[] expected = [(0.25 - 1) / 2, 0.75 / 2, 0.25 / 2, (0.75 - 1) / 2];
        var g = loss.Backward().AsSpan();
        for (int i = 0; i < 4; i++)
            AssertClose(expected[i], g[i], $"dL/dz[{i}]");
    }

    [Fact]
    public void HugeLogitsDoNotOverflow()
    {
        var loss = new SoftmaxCrossEntropy<float>();
        var z = new Matrix<float>(1, 3);
        z.AsSpan()[0] = 1000f;
        z.AsSpan()[1] = 999f;
        z.AsSpan()[2] = -1000f;
        var t = new Matrix<float>(1, 1);
        t[0, 0] = 1;
        // L = ln(e^1000 + e^999 + e^−1000) − 999 = 1 + ln(1 + e^−1)
        Assert.Equal(1 + Math.Log(1 + Math.Exp(-1)), loss.Forward(z, t), 1e-4); // float: an ulp at 1000 is 6e-5
    }

    [Fact]
    public void InvalidTargetsAndSmoothingAreRefused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new SoftmaxCrossEntropy<double>(1.0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SoftmaxCrossEntropy<double>(-0.1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SoftmaxCrossEntropy<double>(double.NaN));
        Assert.Equal(0.0, new SoftmaxCrossEntropy<double>().LabelSmoothing);
        var ce = new SoftmaxCrossEntropy<double>();
        Assert.Contains("row 1", Assert.Throws<ArgumentException>(() => ce.Forward(new Matrix<double>(2, 3), M(2, 1, 0, 3))).Message);
        Assert.Throws<ArgumentException>(() => ce.Forward(new Matrix<double>(2, 3), M(2, 1, 0, 0.5)));
        Assert.Throws<ArgumentException>(() => ce.Forward(new Matrix<double>(2, 3), M(2, 1, -1, 0)));
        Assert.Throws<ArgumentException>(() => ce.Forward(new Matrix<double>(2, 3), new Matrix<double>(3, 1)));
        Assert.Throws<ArgumentException>(() => ce.Forward(new Matrix<double>(2, 3), new Matrix<double>(2, 2)));
        var bce = new BinaryCrossEntropy<double>();
        Assert.Throws<ArgumentException>(() => bce.Forward(new Matrix<double>(1, 2), M(1, 2, 0, 1.5)));
        Assert.Throws<ArgumentException>(() => bce.Forward(new Matrix<double>(1, 2), M(1, 2, -0.5, 0)));
        Assert.Throws<ArgumentException>(() => new MeanSquaredError<double>().Forward(new Matrix<double>(2, 2), new Matrix<double>(2, 1)));
        Assert.Throws<InvalidOperationException>(() => new MeanSquaredError<double>().Backward());
    }

    [Fact]
    public void ErrorsNameTheProblem()
    {
        Assert.Equal(("MeanSquaredError", "BinaryCrossEntropy", "SoftmaxCrossEntropy"),
            (new MeanSquaredError<double>().Name, new BinaryCrossEntropy<double>().Name, new SoftmaxCrossEntropy<double>().Name));
        var mse = new MeanSquaredError<double>();
        Assert.Equal("MeanSquaredError.Backward was called before Forward.", Assert.Throws<InvalidOperationException>(() => mse.Backward()).Message);
        Assert.Equal("output", Assert.Throws<ArgumentNullException>(() => mse.Forward(null!, new Matrix<double>(1, 1))).ParamName);
        Assert.Equal("target", Assert.Throws<ArgumentNullException>(() => mse.Forward(new Matrix<double>(1, 1), null!)).ParamName);
        // rows first (the batch), then the whole shape
        Assert.StartsWith("Shape mismatch: output is 2×2 but target is 3×2; the row counts must agree.",
            Assert.Throws<ArgumentException>(() => mse.Forward(new Matrix<double>(2, 2), new Matrix<double>(3, 2))).Message, StringComparison.Ordinal);
        Assert.StartsWith("Shape mismatch: output is 2×2 but target is 2×1.",
            Assert.Throws<ArgumentException>(() => new BinaryCrossEntropy<double>().Forward(new Matrix<double>(2, 2), new Matrix<double>(2, 1))).Message, StringComparison.Ordinal);
        Assert.StartsWith("Target 1 is 1.5; binary targets must be in [0, 1].",
            Assert.Throws<ArgumentException>(() => new BinaryCrossEntropy<double>().Forward(new Matrix<double>(1, 2), M(1, 2, 0, 1.5))).Message, StringComparison.Ordinal);
        Assert.StartsWith("Target at row 1 is 3; class targets must be whole numbers in [0, 3).",
            Assert.Throws<ArgumentException>(() => new SoftmaxCrossEntropy<double>().Forward(new Matrix<double>(2, 3), M(2, 1, 0, 3))).Message, StringComparison.Ordinal);
        Assert.StartsWith("labelSmoothing must be in [0, 1).", Assert.Throws<ArgumentOutOfRangeException>(() => new SoftmaxCrossEntropy<double>(1)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EmptyBatchesGiveZero()
    {
        Assert.Equal(0, new MeanSquaredError<double>().Forward(new Matrix<double>(0, 2), new Matrix<double>(0, 2)));
        Assert.Equal(0, new BinaryCrossEntropy<double>().Forward(new Matrix<double>(0, 2), new Matrix<double>(0, 2)));
        Assert.Equal(0, new SoftmaxCrossEntropy<double>().Forward(new Matrix<double>(0, 3), new Matrix<double>(0, 1)));
    }
}
