namespace Engine.Tests.Losses;

public class LossGradientTests
{
    [Theory]
    [InlineData(0.0)]
    [InlineData(0.1)]
    public void SoftmaxCrossEntropyGradient(double smoothing)
    {
        var rng = new Rng(1);
        var z = GradientCheck.Random(rng, 7, 5, scale: 3);
        var t = Labels(rng, 7, 5);
        CheckLoss(new SoftmaxCrossEntropy<double>(smoothing), z, t);
    }

    [Fact]
    public void MeanSquaredErrorGradient()
    {
        var rng = new Rng(2);
        CheckLoss(new MeanSquaredError<double>(), GradientCheck.Random(rng, 6, 3), GradientCheck.Random(rng, 6, 3));
    }

    [Fact]
    public void BinaryCrossEntropyGradient()
    {
        var rng = new Rng(3);
        var t = new Matrix<double>(6, 2);
        for (int i = 0; i < t.Length; i++)
            t.AsSpan()[i] = rng.NextDouble() < 0.5 ? 0 : 1;
        t[0, 0] = 0.3; // soft targets are allowed
        CheckLoss(new BinaryCrossEntropy<double>(), GradientCheck.Random(rng, 6, 2, scale: 4), t);
    }

    [Fact]
    public void CrossEntropyMatchesDefinitionAndIsStableForHugeLogits()
    {
        // z = (0, ln 3) → p = (1/4, 3/4); L = −ln p[label]
        var z = new Matrix<double>(2, 2, [0, Math.Log(3), 0, Math.Log(3)]);
        var t = new Matrix<double>(2, 1, [0, 1]);
        double loss = new SoftmaxCrossEntropy<double>().Forward(z, t);
        Assert.Equal((-Math.Log(0.25) - Math.Log(0.75)) / 2, loss, 12);

        var huge = new Matrix<float>(1, 3, [1000f, 0f, -1000f]);
        var ce = new SoftmaxCrossEntropy<float>();
        Assert.Equal(2000.0, ce.Forward(huge, new Matrix<float>(1, 1, [2f])), 3);
        Assert.True(float.IsFinite(ce.Backward()[0, 0]));
    }

    [Fact]
    public void BinaryCrossEntropyMatchesDefinition()
    {
        // z = 0 → σ = 1/2, L = ln 2 for either target; z = 50, t = 0 → L ≈ 50
        var bce = new BinaryCrossEntropy<double>();
        Assert.Equal(Math.Log(2), bce.Forward(new Matrix<double>(1, 1, [0]), new Matrix<double>(1, 1, [1])), 12);
        Assert.Equal(50, bce.Forward(new Matrix<double>(1, 1, [50]), new Matrix<double>(1, 1, [0])), 9);
    }

    [Fact]
    public void BadTargetsAreRefusedWithTheRow()
    {
        var ce = new SoftmaxCrossEntropy<float>();
        var ex = Assert.Throws<ArgumentException>(() => ce.Forward(new Matrix<float>(2, 3), new Matrix<float>(2, 1, [1f, 3f])));
        Assert.Contains("row 1", ex.Message);
        Assert.Throws<ArgumentException>(() => ce.Forward(new Matrix<float>(2, 3), new Matrix<float>(3, 1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SoftmaxCrossEntropy<float>(1.0));
        Assert.Throws<ArgumentException>(() => new MeanSquaredError<float>().Forward(new Matrix<float>(2, 3), new Matrix<float>(2, 2)));
    }

    private static Matrix<double> Labels(Rng rng, int n, int classes)
    {
        var t = new Matrix<double>(n, 1);
        for (int i = 0; i < n; i++)
            t[i, 0] = rng.NextInt(classes);
        return t;
    }

    private static void CheckLoss(Loss<double> loss, Matrix<double> output, Matrix<double> target)
    {
        loss.Forward(output, target);
        var analytic = loss.Backward().AsSpan().ToArray();
        var numeric = GradientCheck.Numeric(() => loss.Forward(output, target), output.AsSpan());
        GradientCheck.AssertClose(numeric, analytic, loss.Name);
    }
}
