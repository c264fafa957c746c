namespace Engine.Tests.Layers;

/// <summary>ELU, SELU, GELU and SiLU: values by hand, gradients against finite differences, defaults, names.</summary>
public class NewActivationTests
{
    // Odd sizes so no vector width divides them: scalar tails are exercised too.
    private const int Batch = 5, Features = 37;

    [Fact]
    public void EluGradient() => CheckGradient(new ELU<double>());

    [Fact]
    public void SeluGradient() => CheckGradient(new SELU<double>());

    [Fact]
    public void GeluGradient() => CheckGradient(new GELU<double>());

    [Fact]
    public void GeluTanhGradient() => CheckGradient(new GELU<double>(approximateTanh: true));

    [Fact]
    public void SiluGradient() => CheckGradient(new SiLU<double>());

    public static TheoryData<string, double, double> Values => new()
    {
        // x, f(x) from the definitions (computed with Python's math.expm1, math.erfc, math.tanh, math.exp)
        { "ELU", 2.0, 2.0 },
        { "ELU", 0.0, 0.0 },
        { "ELU", -1.0, -0.6321205588285577 },             // e⁻¹ − 1
        { "SELU", 1.0, 1.0507009873554805 },               // λ
        { "SELU", -1.0, -1.1113307378125625 },             // λα(e⁻¹ − 1)
        { "SELU", -3.0, -1.6705687287671118 },
        { "GELU", 1.0, 0.8413447460685429 },               // Φ(1)
        { "GELU", -1.0, -0.15865525393145707 },            // −Φ(−1)
        { "GELU", 2.0, 1.9544997361036416 },
        { "GELU", -3.0, -0.004049694094890287 },
        { "GELU", 0.0, 0.0 },
        { "GELU-tanh", 1.0, 0.8411919906082768 },
        { "GELU-tanh", -1.0, -0.15880800939172324 },
        { "SiLU", 1.0, 0.7310585786300049 },               // σ(1)
        { "SiLU", -2.0, -0.2384058440442351 },             // −2σ(−2)
        { "SiLU", 0.0, 0.0 },
    };

    [Theory]
    [MemberData(nameof(Values))]
    public void ForwardMatchesTheDefinition(string kind, double x, double expected)
    {
        Layer<double> layer = kind == "GELU-tanh" ? new GELU<double>(approximateTanh: true)
            : LayerRegistry.Create<double>(new LayerSpec(kind), what => new InvalidOperationException(what));
        var input = new Matrix<double>(1, 1);
        input[0, 0] = x;
        Assert.Equal(expected, layer.Forward(input)[0, 0], 1e-15);
    }

    [Theory]
    [MemberData(nameof(Values))]
    public void FloatForwardAgreesWithDouble(string kind, double x, double expected)
    {
        Layer<float> layer = kind == "GELU-tanh" ? new GELU<float>(approximateTanh: true)
            : LayerRegistry.Create<float>(new LayerSpec(kind), what => new InvalidOperationException(what));
        // 17 copies so the vector paths and the scalar tail both see x
        var input = new Matrix<float>(1, 17);
        input.AsSpan().Fill((float)x);
        foreach (float y in layer.Forward(input).AsSpan())
            Assert.Equal(expected, y, 1e-6);
    }

    [Theory]
    [InlineData(0.1, 0.1124629160182849, 0.8875370839817152)]
    [InlineData(0.5, 0.5204998778130465, 0.4795001221869535)]
    [InlineData(1.0, 0.8427007929497149, 0.15729920705028513)]
    [InlineData(2.0, 0.9953222650189527, 0.004677734981047265)]
    [InlineData(2.5, 0.999593047982555, 0.0004069520174449589)]
    [InlineData(3.0, 0.9999779095030014, 2.2090496998585438e-05)]
    [InlineData(5.0, 0.9999999999984626, 1.5374597944280351e-12)]
    public void ErfMatchesKnownValues(double z, double erf, double erfc)
    {
        // reference values: Python's math.erf / math.erfc (C library, correctly rounded or within an ulp)
        Assert.Equal(erf, SpecialFunctions.Erf(z), 1e-15);
        Assert.Equal(-erf, SpecialFunctions.Erf(-z), 1e-15);
        // erfc: relative accuracy from the continued fraction (z ≥ 2.5), absolute below, where it is 1 − erf
        Assert.True(Math.Abs(SpecialFunctions.Erfc(z) - erfc) <= Math.Max(1e-14 * erfc, 5e-16), $"erfc({z}) = {SpecialFunctions.Erfc(z)}, expected {erfc}");
        Assert.Equal(1 + erf, SpecialFunctions.Erfc(-z), 1e-15);
    }

    [Fact]
    public void ErfEdgeCases()
    {
        Assert.Equal(0.0, SpecialFunctions.Erf(0.0));
        Assert.Equal(1.0, SpecialFunctions.Erf(double.PositiveInfinity));
        Assert.Equal(-1.0, SpecialFunctions.Erf(double.NegativeInfinity));
        Assert.Equal(0.0, SpecialFunctions.Erfc(40.0));
        Assert.True(double.IsNaN(SpecialFunctions.Erf(double.NaN)));
    }

    [Theory]
    [InlineData(Activation.ELU, typeof(HeNormal))]
    [InlineData(Activation.GELU, typeof(HeNormal))]
    [InlineData(Activation.SiLU, typeof(HeNormal))]
    [InlineData(Activation.SELU, typeof(LeCunNormal))]
    public void DefaultInitializers(Activation activation, Type expected) =>
        Assert.IsType(expected, Initializer.DefaultFor(activation));

    [Fact]
    public void Gains()
    {
        Assert.Equal(0.75, Init.Gain(Activation.SELU)); // torch.nn.init.calculate_gain('selu')
        Assert.Equal(Math.Sqrt(2.0), Init.Gain(Activation.ELU));
        Assert.Equal(Math.Sqrt(2.0), Init.Gain(Activation.GELU));
        Assert.Equal(Math.Sqrt(2.0), Init.Gain(Activation.SiLU));
    }

    [Theory]
    [InlineData("elu", Activation.ELU)]
    [InlineData("selu", Activation.SELU)]
    [InlineData("gelu", Activation.GELU)]
    [InlineData("silu", Activation.SiLU)]
    [InlineData(" Leaky-ReLU ", Activation.LeakyReLU)]
    public void SelectableByName(string name, Activation expected)
    {
        Assert.Equal(expected, Activations.Parse(name));
        Assert.Equal(name.Trim().ToLowerInvariant(), Activations.NameOf(expected));
    }

    [Fact]
    public void EveryActivationHasANameALayerAndADefault()
    {
        Assert.Equal(Enum.GetValues<Activation>().Length, Activations.Names.Count);
        foreach (var activation in Enum.GetValues<Activation>())
        {
            Assert.Equal(activation, Activations.Parse(Activations.NameOf(activation)));
            var layer = Assert.IsAssignableFrom<IActivationLayer>(Mlp.CreateActivation<float>(activation));
            Assert.Equal(activation, layer.Kind);
            Assert.NotNull(Initializer.DefaultFor(activation));
            Assert.True(Init.Gain(activation) > 0);
        }
        Assert.Throws<ArgumentException>(() => Activations.Parse("swish"));
    }

    [Fact]
    public void SeluWithItsDefaultInitKeepsUnitScaleThroughDepth()
    {
        // Klambauer et al.: with LeCun normal weights and unit-scale input, activations stay near mean 0, std 1.
        var model = Mlp.Create(64, [.. Enumerable.Repeat(64, 16)], 64, Activation.SELU, seed: 5);
        var rng = new Rng(6);
        var x = new Matrix<float>(512, 64);
        for (int i = 0; i < x.Length; i++)
            x.AsSpan()[i] = (float)rng.NextNormal();
        var reports = Engine.Diagnostics.Inspector.Inspect(model, x);
        var last = reports[^2]; // the last SELU
        Assert.Equal("SELU", last.Layer);
        Assert.InRange(last.OutputStd, 0.8, 1.2);
        Assert.InRange(last.OutputMean, -0.2, 0.2);
        Assert.All(reports.Where(r => r.Layer == "SELU"), r => Assert.NotNull(r.DeadFraction));
    }

    private static void CheckGradient(Layer<double> layer)
    {
        var rng = new Rng(3);
        GradientCheck.CheckLayer(layer, GradientCheck.Random(rng, Batch, Features, scale: 2, avoidZero: 0.01), rng);
    }
}
