namespace Engine.Tests.Layers;

/// <summary>
/// Backward adds (+=) into parameter gradients; clearing them is a separate step. The finite-difference checks
/// zero the gradients before each comparison, so they cannot see a Backward that overwrites instead of adding,
/// or one that adds the wrong sum. Values here are by hand.
/// </summary>
public class GradientAccumulationTests
{
    private static Matrix<double> M(int rows, int cols, params double[] values) => new(rows, cols, values);

    [Fact]
    public void DenseBiasAndWeightGradientsAreColumnSumsAndAccumulate()
    {
        var dense = new Dense<double>(2, 3);
        var x = M(2, 2, 1, 2, 3, 4);
        var dy = M(2, 3, 1, -1, 0.5, 2, 0, -3);
        dense.Forward(x);
        dense.Backward(dy, computeInputGrad: false);
        // db = Σrows dY = (3, −1, −2.5); dW = dYᵀ·X: row o = Σ_i dy[i, o]·x[i]
        Assert.Equal([3.0, -1.0, -2.5], dense.Bias.Grad.AsSpan().ToArray());
        Assert.Equal([7.0, 10.0, -1.0, -2.0, -8.5, -11.0], dense.Weight.Grad.AsSpan().ToArray());

        // a second batch adds to them
        dense.Forward(M(1, 2, -1, 1));
        dense.Backward(M(1, 3, 1, 1, 1), computeInputGrad: false);
        Assert.Equal([4.0, 0.0, -1.5], dense.Bias.Grad.AsSpan().ToArray());
        Assert.Equal([6.0, 11.0, -2.0, -1.0, -9.5, -10.0], dense.Weight.Grad.AsSpan().ToArray());

        dense.Bias.ZeroGrad();
        Assert.Equal([0.0, 0.0, 0.0], dense.Bias.Grad.AsSpan().ToArray());
    }

    [Fact]
    public void DenseInputGradientIsDyTimesW()
    {
        var dense = new Dense<double>(2, 3);
        M(3, 2, 1, 2, 3, 4, 5, 6).AsSpan().CopyTo(dense.Weight.Value.AsSpan());
        dense.Forward(M(1, 2, 0, 0));
        var dx = dense.Backward(M(1, 3, 1, -1, 2))!;
        // dX = dY·W = 1·(1, 2) − 1·(3, 4) + 2·(5, 6)
        Assert.Equal([8.0, 10.0], dx.AsSpan().ToArray());
        Assert.Null(dense.Backward(M(1, 3, 1, -1, 2), computeInputGrad: false));
    }

    [Fact]
    public void SharedPReLUSlopeGradientSumsXTimesDyOverNonPositiveInputsAndAccumulates()
    {
        var prelu = new PReLU<double>(1, 0.25);
        var x = M(2, 3, -2, 1, 0, 3, -0.5, -1);
        var dy = M(2, 3, 1.5, 7, 4, 9, 2, -3);
        var y = prelu.Forward(x);
        Assert.Equal([-0.5, 1, 0, 3, -0.125, -0.25], y.AsSpan().ToArray());
        var dx = prelu.Backward(dy)!;
        // da = Σ over x ≤ 0 of x·dy = −2·1.5 + 0·4 − 0.5·2 − 1·(−3) = −1
        Assert.Equal(-1.0, prelu.Slope.Grad[0, 0]);
        // dx = dy where x > 0, a·dy elsewhere
        Assert.Equal([0.375, 7, 1, 9, 0.5, -0.75], dx.AsSpan().ToArray());
        prelu.Forward(M(1, 3, -4, -4, 5));
        prelu.Backward(M(1, 3, 1, 0.5, 100));
        Assert.Equal(-1.0 - 4 - 2, prelu.Slope.Grad[0, 0]);
    }

    [Fact]
    public void PerUnitPReLUSlopeGradientsArePerColumnAndAccumulate()
    {
        var prelu = new PReLU<double>(3, 0.1);
        M(1, 3, 0.1, 0.2, 0.3).AsSpan().CopyTo(prelu.Slope.Value.AsSpan());
        var x = M(3, 3, -1, 2, -3, -4, -5, 6, 7, -8, 0);
        var dy = M(3, 3, 1, 1, 1, 2, 2, 2, 3, 3, 3);
        var y = prelu.Forward(x);
        Assert.Equal([-0.1, 2, -0.9, -0.4, -1.0, 6, 7, -1.6, 0], y.AsSpan().ToArray(), new ToleranceComparer(1e-15));
        var dx = prelu.Backward(dy)!;
        // column 0: −1·1 − 4·2 = −9; column 1: −5·2 − 8·3 = −34; column 2: −3·1 + 0·3 = −3
        Assert.Equal([-9.0, -34.0, -3.0], prelu.Slope.Grad.AsSpan().ToArray());
        Assert.Equal([0.1, 1, 0.3, 0.2, 0.4, 2, 3, 0.6, 0.9], dx.AsSpan().ToArray(), new ToleranceComparer(1e-15));
        prelu.Forward(M(1, 3, -1, -1, -1));
        prelu.Backward(M(1, 3, 1, 2, 3));
        Assert.Equal([-10.0, -36.0, -6.0], prelu.Slope.Grad.AsSpan().ToArray());
    }

    [Fact]
    public void SequentialBackwardAccumulatesUntilZeroGrad()
    {
        var model = Mlp.Create<double>(3, [4], 2, Activation.PReLU, seed: 1);
        var x = M(2, 3, 0.5, -1, 2, -0.3, 0.8, -1.5);
        var dy = M(2, 2, 1, -2, 0.5, 3);
        model.ZeroGrad();
        model.Forward(x);
        model.Backward(dy);
        double[][] once = [.. model.Parameters.Select(p => p.Grad.AsSpan().ToArray())];
        model.Forward(x);
        model.Backward(dy);
        for (int k = 0; k < once.Length; k++)
            Assert.Equal([.. once[k].Select(g => 2 * g)], model.Parameters[k].Grad.AsSpan().ToArray(), new ToleranceComparer(1e-14));
        Assert.Contains(once[2], g => g != 0); // the PReLU slope got a gradient
        model.ZeroGrad();
        Assert.All(model.Parameters, p => Assert.All(p.Grad.AsSpan().ToArray(), g => Assert.Equal(0.0, g)));
    }

    private sealed class ToleranceComparer(double tolerance) : IEqualityComparer<double>
    {
        public bool Equals(double x, double y) => Math.Abs(x - y) <= tolerance * Math.Max(1, Math.Abs(x));

        public int GetHashCode(double obj) => 0;
    }
}
