namespace Engine.Tests.Diagnostics;

/// <summary>
/// The advisor's thresholds and sentences, on reports written by hand (so each figure is exactly what the test says):
/// each problem is named only strictly past its threshold, with the measured numbers formatted as documented, the
/// activation in the CLI's spelling and the initializer that fits it.
/// </summary>
public class AdvisorMessageTests
{
    /// <summary>Reports for every layer of <paramref name="model"/>: the activation layers get the given figures in order, the others plain ones.</summary>
    private static LayerReport[] Reports(Sequential<float> model, double[] std, double?[]? dead = null, double?[]? saturated = null)
    {
        var reports = new LayerReport[model.Layers.Count];
        int a = 0;
        for (int i = 0; i < reports.Length; i++)
        {
            if (model.Layers[i] is IActivationLayer)
            {
                reports[i] = new LayerReport(i, model.Layers[i].ToString(), 8, 0, std[a], dead?[a], SaturatedFraction: saturated?[a]);
                a++;
            }
            else
            {
                reports[i] = new LayerReport(i, model.Layers[i].ToString(), 8, 0, 1);
            }
        }
        return reports;
    }

    private static Sequential<float> Net(int hidden, Activation activation = Activation.ReLU) =>
        Mlp.Create(4, [.. Enumerable.Repeat(8, hidden)], 2, activation, seed: 1);

    private static IReadOnlyList<Verdict> Advise(Sequential<float> model, LayerReport[] reports, string? init = null) =>
        Advisor.Advise(model, reports, 100, init);

    private const string He = "he-normal (He, gain √2)";

    [Fact]
    public void VanishingIsNamedOnlyBelowATenthOfTheFirstStd()
    {
        var net = Net(3);
        var v = Assert.Single(Advise(net, Reports(net, [2, 1, 0.125])));
        Assert.Equal(Problem.Vanishing, v.Problem);
        Assert.Equal($"vanishing: the activations' std falls 16× from 2 after the first hidden layer to 0.125 after the last (3 layers); deep layers see almost no signal and learn slowly. For relu use {He}.", v.Message);
        Assert.Empty(Advise(net, Reports(net, [2, 1, 0.2])));  // exactly a tenth
        Assert.Empty(Advise(net, Reports(net, [0, 1, 0])));    // no signal at the first layer: nothing to compare
        Assert.StartsWith("vanishing: the activations' std falls to zero from 2 ", Assert.Single(Advise(net, Reports(net, [2, 1, 0]))).Message, StringComparison.Ordinal);
        Assert.Empty(Advise(Net(1), Reports(Net(1), [5])));   // one hidden layer: no depth to lose the signal over
    }

    [Fact]
    public void ExplodingIsNamedOnlyAboveTenTimesTheFirstStd()
    {
        var net = Net(2, Activation.LeakyReLU);
        var v = Assert.Single(Advise(net, Reports(net, [0.5, 6])));
        Assert.Equal(Problem.Exploding, v.Problem);
        Assert.Equal("exploding: the activations' std grows 12× from 0.5 after the first hidden layer to 6 after the last (2 layers); expect huge losses or NaN. " +
            "For leaky-relu use he-normal with the slope-aware gain √(2/(1+a²)) = 1.414 for a = 0.01 (the engine's default).", v.Message);
        Assert.Empty(Advise(net, Reports(net, [0.5, 5])));   // exactly ten times
        Assert.Empty(Advise(net, Reports(net, [0, 5])));     // no signal at the first layer: nothing to compare
        Assert.Contains("grows 12.3× from", Assert.Single(Advise(net, Reports(net, [1, 12.3456]))).Message);
        Assert.Contains("grows 100× from", Assert.Single(Advise(net, Reports(net, [1, 100]))).Message);
        Assert.Contains("grows 1.0e6× from", Assert.Single(Advise(net, Reports(net, [1, 1e6]))).Message);
        Assert.Contains("grows 1,234× from", Assert.Single(Advise(net, Reports(net, [1, 1234.4]))).Message);
        Assert.Contains("grows 2.5e6× from", Assert.Single(Advise(net, Reports(net, [1, 2.5e6]))).Message);
    }

    [Fact]
    public void DeadUnitsAreNamedPastHalfTheLayerAndListedFourAtATime()
    {
        var net = Net(6);
        double[] std = [1, 1, 1, 1, 1, 1];
        Assert.Empty(Advise(net, Reports(net, std, [0.5, 0.5, 0.5, 0.5, 0.5, 0.5]))); // exactly half
        var v = Assert.Single(Advise(net, Reports(net, std, [0.75, null, 0.5, 0.6, null, null])));
        Assert.Equal(Problem.DeadUnits, v.Problem);
        Assert.Equal("dead units: more than half of the units never activate on these 100 rows in layer 1 (75% of 8), layer 7 (60% of 8); they pass no gradient. " +
            "Look for large negative biases or a too-high learning rate, or try leaky-relu or prelu.", v.Message);
        Assert.Contains("in layer 1 (67% of 8);", Assert.Single(Advise(net, Reports(net, std, [2.0 / 3, null, null, null, null, null]))).Message);
        var four = Assert.Single(Advise(net, Reports(net, std, [1, 1, 1, 1, null, null])));
        Assert.Contains("in layer 1 (100% of 8), layer 3 (100% of 8), layer 5 (100% of 8), layer 7 (100% of 8); they pass", four.Message);
        var all = Assert.Single(Advise(net, Reports(net, std, [1, 1, 1, 1, 1, 1])));
        Assert.Contains("in layer 1 (100% of 8), layer 3 (100% of 8), layer 5 (100% of 8), layer 7 (100% of 8) and 2 more layers;", all.Message);
    }

    [Fact]
    public void SaturationIsNamedPastAFifthOfTheOutputs()
    {
        var net = Net(2, Activation.Tanh);
        Assert.Empty(Advise(net, Reports(net, [1, 1], saturated: [0.2, 0.2])));
        var v = Assert.Single(Advise(net, Reports(net, [1, 1], saturated: [0.1, 0.5])));
        Assert.Equal(Problem.Saturation, v.Problem);
        Assert.Equal("saturation: more than 20% of the outputs lie beyond 0.97 in magnitude in layer 3 (50%), where the derivative is nearly 0. " +
            "The weights are too large for tanh: use xavier-uniform (Xavier/Glorot).", v.Message);
    }

    [Theory]
    [InlineData(Activation.ReLU, " He-Uniform ", true)]
    [InlineData(Activation.ReLU, "xavier-normal", false)]
    [InlineData(Activation.GELU, "he-normal", true)]
    [InlineData(Activation.SELU, "lecun-normal", true)]
    [InlineData(Activation.SELU, "he-normal", false)]
    [InlineData(Activation.Tanh, "glorot-uniform", true)]
    [InlineData(Activation.Tanh, "lecun-uniform", true)]
    [InlineData(Activation.Sigmoid, "orthogonal", true)]
    [InlineData(Activation.Sigmoid, "he-normal", false)]
    [InlineData(Activation.Tanh, "LSUV", true)]
    public void TheInitializerIsCheckedAgainstTheActivation(Activation activation, string initializer, bool fits)
    {
        var net = Net(2, activation);
        var verdicts = Advise(net, Reports(net, [1, 1]), initializer);
        if (fits)
        {
            Assert.Empty(verdicts);
            return;
        }
        var v = Assert.Single(verdicts);
        Assert.Equal(Problem.Initializer, v.Problem);
        string name = activation.ToString().ToLowerInvariant();
        Assert.Equal($"initializer: {initializer} does not fit {name}; use {Advisor.FittingInitializer(activation)}.", v.Message);
    }

    [Fact]
    public void ALinearModelGetsNoInitializerVerdict()
    {
        var linear = new Sequential<float>(new Dense<float>(4, 2));
        Assert.Empty(Advisor.Advise(linear, [new LayerReport(0, "Dense(4 → 2)", 2, 0, 1)], 10, "he-normal"));
    }

    [Fact]
    public void TheFittingInitializerOfEachRectifierIsHe()
    {
        foreach (var a in new[] { Activation.ReLU, Activation.ELU, Activation.GELU, Activation.SiLU })
            Assert.Equal(He, Advisor.FittingInitializer(a));
        Assert.Equal("he-normal with the slope-aware gain √(2/(1+a²)) = 1.372 for a = 0.25 (the engine's default)", Advisor.FittingInitializer(Activation.PReLU, 0.25));
        Assert.Equal("lecun-normal (LeCun, std 1/√fan_in)", Advisor.FittingInitializer(Activation.SELU));
        Assert.Equal("xavier-uniform (Xavier/Glorot)", Advisor.FittingInitializer(Activation.Identity));
    }

    [Fact]
    public void ReportsMustMatchTheLayers()
    {
        var net = Net(2);
        var reports = Reports(net, [1, 1]);
        Assert.StartsWith("4 reports for 5 layers.", Assert.Throws<ArgumentException>(() => Advisor.Advise(net, reports[..4], 10)).Message, StringComparison.Ordinal);
        Assert.Equal("model", Assert.Throws<ArgumentNullException>(() => Advisor.Advise(null!, reports, 10)).ParamName);
        Assert.Equal("reports", Assert.Throws<ArgumentNullException>(() => Advisor.Advise(net, null!, 10)).ParamName);
    }
}
