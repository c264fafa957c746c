namespace Engine.Tests.Diagnostics;

public class InspectorTests
{
    [Fact]
    public void LayerForcedDeadReportsDeadFractionOne()
    {
        var dense = new Dense<float>(3, 4);
        dense.ResetParameters(new Rng(1), Activation.ReLU);
        dense.Bias.Value.AsSpan().Fill(-100f); // every pre-activation ≈ −100
        var model = new Sequential<float>(dense, new ReLU<float>(), new Dense<float>(4, 2));
        model.Layers.OfType<Dense<float>>().Last().ResetParameters(new Rng(2));
        var reports = Inspector.Inspect(model, Samples.StandardNormal(8, 3, seed: 3));
        Assert.Equal(1.0, reports[1].DeadFraction);
        Assert.Equal(0.0, reports[1].OutputStd);
        Assert.Null(reports[0].DeadFraction);
    }

    [Fact]
    public void HalfDeadUnitsAreCounted()
    {
        var dense = new Dense<float>(2, 4);
        // units 0 and 1 copy the (positive) input, units 2 and 3 negate it: two of four are dead
        float[] w = [1, 0, 0, 1, -1, 0, 0, -1];
        w.CopyTo(dense.Weight.Value.AsSpan());
        var model = new Sequential<float>(dense, new ReLU<float>());
        var x = new Matrix<float>(3, 2, [1, 2, 3, 4, 5, 6]);
        Assert.Equal(0.5, Inspector.Inspect(model, x)[1].DeadFraction);
    }

    [Fact]
    public void StdOfAKnownInput()
    {
        // values 1..4: mean 2.5, population variance 1.25
        var model = new Sequential<float>(new Identity<float>());
        var r = Inspector.Inspect(model, new Matrix<float>(2, 2, [1, 2, 3, 4]))[0];
        Assert.Equal(2.5, r.OutputMean, 12);
        Assert.Equal(Math.Sqrt(1.25), r.OutputStd, 6);
    }

    [Fact]
    public void GradientStatisticsMatchTheLossGradient()
    {
        // Identity then MSE: dL/dy = 2(y − t)/n over n = 4 elements; y − t = (1, −1, 1, −1) → grads ±0.5, std 0.5
        var model = new Sequential<float>(new Dense<float>(1, 1), new Identity<float>());
        var dense = (Dense<float>)model.Layers[0];
        dense.Weight.Value[0, 0] = 1;
        var x = new Matrix<float>(4, 1, [1, 2, 3, 4]);
        var t = new Matrix<float>(4, 1, [0, 3, 2, 5]);
        var reports = Inspector.Inspect(model, x, new MeanSquaredError<float>(), t);
        Assert.Equal(0.5, reports[1].GradOutputStd!.Value, 6);
        // weight and weight-gradient statistics against hand values: InspectorValueTests
    }

    [Fact]
    public void HeKeepsActivationScaleThroughDepthWhileXavierShrinksIt()
    {
        // 20 ReLU layers of width 256 on unit-variance input: He's std stays of order 1, Xavier's (gain 1)
        // halves the second moment per layer, so after 20 layers it is about 2^-10 ≈ 1e-3 smaller.
        var x = Samples.StandardNormal(256, 256, seed: 5);
        double Ratio(Engine.Initializers.IInitializer init)
        {
            var model = Mlp.Create(256, [.. Enumerable.Repeat(256, 20)], 10, Activation.ReLU, init, seed: 1);
            var reports = Inspector.Inspect(model, x).Where(r => r.Layer == "ReLU").ToList();
            return reports[^1].OutputStd / reports[0].OutputStd;
        }
        double he = Ratio(new Engine.Initializers.HeNormal());
        double xavier = Ratio(new Engine.Initializers.XavierNormal());
        Assert.InRange(he, 0.5, 2.0);
        Assert.True(xavier < 0.01, $"Xavier ratio {xavier}");
    }
}
