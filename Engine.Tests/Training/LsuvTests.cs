namespace Engine.Tests.Training;

public class LsuvTests
{
    [Theory]
    [InlineData(Activation.ReLU)]
    [InlineData(Activation.Tanh)]
    [InlineData(Activation.PReLU)]
    public void EveryLayerOutputHasUnitVarianceOnTheCalibrationBatch(Activation activation)
    {
        var rng = new Rng(3);
        var batch = new Matrix<float>(300, 40);
        for (int i = 0; i < batch.Length; i++)
            batch.AsSpan()[i] = (float)(5 * rng.NextNormal() + 2); // deliberately not unit scale
        var model = Mlp.Create(40, [.. Enumerable.Repeat(64, 12)], 10, activation, seed: 1);

        var lsuv = new Lsuv();
        var variances = lsuv.Apply(model, batch, new Rng(7));

        Assert.Equal(13, variances.Count);
        // Recompute independently of Lsuv's own bookkeeping.
        var x = batch;
        foreach (var layer in model.Layers)
        {
            x = layer.Forward(x);
            if (layer is Dense<float>)
            {
                double std = Engine.Diagnostics.Statistics.MeanStd(x.AsSpan()).Std;
                Assert.InRange(std * std, 1 - lsuv.Tolerance, 1 + lsuv.Tolerance); // what Lsuv promises: ±0.02
            }
        }
    }

    [Fact]
    public void StartsOrthogonal()
    {
        var model = Mlp.Create(8, [8], 8, seed: 1);
        var batch = new Matrix<float>(50, 8);
        var rng = new Rng(1);
        for (int i = 0; i < batch.Length; i++)
            batch.AsSpan()[i] = (float)rng.NextNormal();
        new Lsuv().Apply(model, batch, new Rng(2));
        // Rows of a square orthogonal matrix scaled by c: W·Wᵀ = c²·I, so off-diagonal products vanish.
        var w = ((Dense<float>)model.Layers[0]).Weight.Value;
        for (int a = 0; a < 8; a++)
        {
            for (int b = a + 1; b < 8; b++)
            {
                double dot = 0;
                for (int k = 0; k < 8; k++)
                    dot += w[a, k] * w[b, k];
                Assert.True(Math.Abs(dot) < 1e-5, $"rows {a},{b}: {dot}");
            }
        }
    }

    [Fact]
    public void BadArgumentsThrow()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new Lsuv(tolerance: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Lsuv(maxIterations: 0));
        Assert.Throws<ArgumentException>(() => new Lsuv().Apply(Mlp.Create(2, [2], 2), new Matrix<float>(1, 2), new Rng(1)));
    }
}
