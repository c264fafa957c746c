namespace Engine.Tests.Optimizers;

public class GradientClippingTests
{
    private static Parameter<double>[] Gradients(params double[][] grads) =>
        [.. grads.Select((g, i) =>
        {
            var p = new Parameter<double>($"p{i}", 1, g.Length, true);
            g.CopyTo(p.Grad.AsSpan());
            return p;
        })];

    private static double GlobalNorm(IEnumerable<Parameter<double>> ps) =>
        Math.Sqrt(ps.Sum(p => p.Grad.AsSpan().ToArray().Sum(g => g * g)));

    [Fact]
    public void AboveTheMaximumTheGlobalNormBecomesTheMaximum()
    {
        var ps = Gradients([3, 4], [12]); // ‖g‖ = √(9 + 16 + 144) = 13
        double total = GradientClipping.ClipByGlobalNorm(ps, 5.0);
        Assert.Equal(13, total, 12);
        Assert.Equal(5.0, GlobalNorm(ps), 6);                    // max·13/(13 + 1e-6)
        Assert.Equal(3 * 5 / (13 + 1e-6), ps[0].Grad[0, 0], 12); // every gradient scaled by the same factor
        Assert.Equal(12 * 5 / (13 + 1e-6), ps[1].Grad[0, 0], 12);
    }

    [Fact]
    public void AtOrBelowTheMaximumNothingChanges()
    {
        var ps = Gradients([3, 4], [12]);
        Assert.Equal(13, GradientClipping.ClipByGlobalNorm(ps, 13.0), 12);
        Assert.Equal(13, GradientClipping.ClipByGlobalNorm(ps, 100.0), 12);
        Assert.Equal([3.0, 4.0], ps[0].Grad.AsSpan().ToArray());
        Assert.Equal([12.0], ps[1].Grad.AsSpan().ToArray());
    }

    [Fact]
    public void FloatGradientsWhoseSquaresOverflowStillClip()
    {
        var p = new Parameter<float>("w", 1, 2, true);
        p.Grad[0, 0] = 3e30f;
        p.Grad[0, 1] = 4e30f;
        double total = GradientClipping.ClipByGlobalNorm([p], 1.0);
        Assert.Equal(5e30, total, 5e24);
        Assert.Equal(0.6f, p.Grad[0, 0], 1e-6f);
        Assert.Equal(0.8f, p.Grad[0, 1], 1e-6f);
    }

    [Fact]
    public void ClippingAllocatesNothing()
    {
        var ps = Gradients([3, 4], [12]);
        GradientClipping.ClipByGlobalNorm(ps, 1.0);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10; i++)
            GradientClipping.ClipByGlobalNorm(ps, 0.5);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-1.0)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void NonPositiveMaximumThrows(double max) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => GradientClipping.ClipByGlobalNorm(Gradients([1.0]), max));
}
