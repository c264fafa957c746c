using Engine.Initializers;

namespace Engine.Tests.Diagnostics;

/// <summary>The advisor's verdicts on networks built to have (or not have) each problem.</summary>
public class AdvisorTests
{
    private static readonly Matrix<float> X = Samples.StandardNormal(500, 32, seed: 4);

    private static IReadOnlyList<Verdict> Advise(Sequential<float> model, string? init = null) =>
        Advisor.Advise(model, Inspector.Inspect(model, X), X.Rows, init);

    [Fact]
    public void XavierOn30ReLULayersOf64Vanishes()
    {
        // Var(W) = 2/(64+64) halves the second moment at each ReLU: the std falls by ≈ √2 per layer, 2^14.5 over 30.
        var verdicts = Advise(Mlp.Create(32, [.. Enumerable.Repeat(64, 30)], 10, Activation.ReLU, new XavierNormal(), seed: 1), "xavier-normal");
        var vanishing = Assert.Single(verdicts, v => v.Problem == Problem.Vanishing);
        Assert.Contains("vanishing", vanishing.Message);
        Assert.Contains("he-normal", vanishing.Message);
        Assert.Contains(verdicts, v => v.Problem == Problem.Initializer);
        Assert.DoesNotContain(verdicts, v => v.Problem == Problem.Exploding);
    }

    [Fact]
    public void HeOn30ReLULayersOf64GetsNoVerdict()
    {
        Assert.Empty(Advise(Mlp.Create(32, [.. Enumerable.Repeat(64, 30)], 10, Activation.ReLU, new HeNormal(), seed: 1), "he-normal"));
        Assert.Empty(Advise(Mlp.Create(32, [.. Enumerable.Repeat(64, 30)], 10, Activation.ReLU, seed: 2))); // the default is He
    }

    [Fact]
    public void ALayerWithBiasMinus10IsDead()
    {
        var model = Mlp.Create(32, [64, 64, 64], 10, Activation.ReLU, seed: 1);
        ((Dense<float>)model.Layers[2]).Bias.Value.AsSpan().Fill(-10f); // the second hidden layer's pre-activations ≈ −10 ± 1.4
        var dead = Assert.Single(Advise(model), v => v.Problem == Problem.DeadUnits);
        Assert.Contains("layer 3 (100% of 64)", dead.Message);
        Assert.DoesNotContain("layer 1 ", dead.Message);
    }

    [Fact]
    public void ExplodingAndSaturation()
    {
        // Normal(0, 0.5) on width 64: Var gain 64·0.25/2 = 8 per ReLU layer, ≈ 2.8× in std per layer.
        var exploding = Advise(Mlp.Create(32, [.. Enumerable.Repeat(64, 6)], 10, Activation.ReLU, new Normal(0, 0.5), seed: 1), "normal");
        Assert.Contains(exploding, v => v.Problem == Problem.Exploding);
        // Normal(0, 1) before tanh: pre-activations of std ≈ 6–8 put most outputs beyond ±0.97.
        var saturated = Advise(Mlp.Create(32, [64, 64], 10, Activation.Tanh, new Normal(0, 1), seed: 1));
        var verdict = Assert.Single(saturated, v => v.Problem == Problem.Saturation);
        Assert.Contains("xavier", verdict.Message);
        Assert.Empty(Advise(Mlp.Create(32, [64, 64], 10, Activation.Tanh, seed: 1), "xavier-uniform"));
    }

    [Fact]
    public void TheFittingInitializerFollowsTheActivation()
    {
        Assert.StartsWith("he-normal", Advisor.FittingInitializer(Activation.ReLU));
        Assert.Contains("1.372", Advisor.FittingInitializer(Activation.PReLU, 0.25)); // √(2/1.0625)
        Assert.StartsWith("lecun-normal", Advisor.FittingInitializer(Activation.SELU));
        Assert.StartsWith("xavier", Advisor.FittingInitializer(Activation.Tanh));
        Assert.StartsWith("xavier", Advisor.FittingInitializer(Activation.Sigmoid));
    }
}
