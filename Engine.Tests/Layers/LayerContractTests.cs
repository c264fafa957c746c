namespace Engine.Tests.Layers;

/// <summary>
/// What every layer promises besides its numbers: null and out-of-order calls fail with the documented exception and a
/// message naming the layer, the flags the optimizers and diagnostics read (weight decay, rectifier-like), the widths
/// a layer fixes, and the names layers give themselves in messages.
/// </summary>
public class LayerContractTests
{
    private static Exception Problem(string what) => new InvalidOperationException(what);

    // One layer of every registered type (float), as the registry builds them.
    public static TheoryData<string> Types => [.. LayerRegistry.Types];

    private static Layer<float> Make(string type) => type switch
    {
        "Dense" => new Dense<float>(3, 3),
        "PReLU" => new PReLU<float>(3),
        _ => LayerRegistry.Create<float>(new LayerSpec(type, Slope: type == "LeakyReLU" ? 0.1 : null), Problem),
    };

    [Theory]
    [MemberData(nameof(Types))]
    public void NullInputAndNullGradientAreRefused(string type)
    {
        var layer = Make(type);
        Assert.Throws<ArgumentNullException>(() => layer.Forward(null!));
        layer.Forward(new Matrix<float>(2, 3));
        Assert.Throws<ArgumentNullException>(() => layer.Backward(null!));
    }

    [Theory]
    [MemberData(nameof(Types))]
    public void BackwardBeforeForwardNamesTheLayer(string type)
    {
        var layer = Make(type);
        var ex = Assert.Throws<InvalidOperationException>(() => layer.Backward(new Matrix<float>(2, 3)));
        Assert.Equal($"{type}.Backward was called before Forward.", ex.Message);
    }

    [Theory]
    [MemberData(nameof(Types))]
    public void AGradientOfAnotherShapeIsRefusedNamingBothShapes(string type)
    {
        var layer = Make(type);
        layer.Forward(new Matrix<float>(2, 3));
        var ex = Assert.Throws<ArgumentException>(() => layer.Backward(new Matrix<float>(3, 3)));
        Assert.Equal("gradOutput", ex.ParamName);
        Assert.Contains("output is 2×3 but gradOutput is 3×3", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Identity", false)]
    [InlineData("ReLU", true)]
    [InlineData("LeakyReLU", true)]
    [InlineData("PReLU", true)]
    [InlineData("Sigmoid", false)]
    [InlineData("Tanh", false)]
    [InlineData("ELU", true)]
    [InlineData("SELU", true)]
    [InlineData("GELU", true)]
    [InlineData("SiLU", true)]
    public void RectifierLikeIsTheDocumentedList(string type, bool rectifier)
    {
        // IActivationLayer: ReLU, Leaky ReLU, PReLU, ELU, SELU, GELU and SiLU; not tanh, sigmoid or the identity
        var layer = Assert.IsAssignableFrom<IActivationLayer>(Make(type));
        Assert.Equal(rectifier, layer.IsRectifier);
        Assert.Equal(rectifier, Assert.IsAssignableFrom<IActivationLayer>(LayerRegistry.CreateActivation<double>(layer.Kind, 0.1)).IsRectifier);
        if (type == "GELU")
            Assert.True(new GELU<float>(approximateTanh: true).IsRectifier);
    }

    [Fact]
    public void WeightsDecayAndBiasesAndSlopesDoNot()
    {
        var dense = new Dense<float>(3, 2);
        Assert.True(dense.Weight.WeightDecay);
        Assert.False(dense.Bias.WeightDecay);
        Assert.False(new PReLU<float>(4).Slope.WeightDecay);
        Assert.False(new PReLU<float>().Slope.WeightDecay);
    }

    [Fact]
    public void OnlyAPerUnitPReLUFixesItsWidth()
    {
        Assert.Null(new PReLU<float>(1).RequiredInputFeatures);
        Assert.Equal(4, new PReLU<float>(4).RequiredInputFeatures);
        Assert.Equal(2, new PReLU<float>(2).RequiredInputFeatures);
        var ex = Assert.Throws<ArgumentException>(() => new PReLU<float>(4).Forward(new Matrix<float>(2, 5)));
        Assert.Equal("input", ex.ParamName);
        Assert.Contains("input is 2×5 but 4 columns were expected", ex.Message, StringComparison.Ordinal);
        new PReLU<float>(1).Forward(new Matrix<float>(2, 5)); // a shared slope takes any width
    }

    [Fact]
    public void PReLURefusesANonFiniteInitialSlope()
    {
        foreach (double init in new[] { double.NaN, double.PositiveInfinity })
        {
            var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new PReLU<float>(2, init));
            Assert.Equal("init", ex.ParamName);
            Assert.Contains("init must be a finite number", ex.Message, StringComparison.Ordinal);
        }
        Assert.Equal("numParameters", Assert.Throws<ArgumentOutOfRangeException>(() => new PReLU<float>(0)).ParamName);
        var leaky = Assert.Throws<ArgumentOutOfRangeException>(() => new LeakyReLU<float>(double.NegativeInfinity));
        Assert.Equal("negativeSlope", leaky.ParamName);
        Assert.Contains("negativeSlope must be a finite number", leaky.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ToStringNamesTheLayerAndItsSettings()
    {
        Assert.Equal("Dense(3 → 5)", new Dense<float>(3, 5).ToString());
        Assert.Equal("PReLU(4)", new PReLU<float>(4).ToString());
        Assert.Equal("LeakyReLU(0.2)", new LeakyReLU<float>(0.2).ToString());
        Assert.Equal("GELU", new GELU<float>().ToString());
        Assert.Equal("GELU(tanh)", new GELU<float>(approximateTanh: true).ToString());
        Assert.Equal("ReLU", new ReLU<float>().ToString());
        Assert.Equal("OneHotDense(2 numeric + levels [3, 4] = 9 → 5)", new OneHotDense<float>(2, [3, 4], 5).ToString());
        Assert.Equal("Sequential(Dense(2 → 3), Tanh, Dense(3 → 1))",
            new Sequential<float>(new Dense<float>(2, 3), new Tanh<float>(), new Dense<float>(3, 1)).ToString());
    }

    [Fact]
    public void IdentityPassesTheGradientOnOnlyWhenAsked()
    {
        var identity = new Identity<float>();
        var x = new Matrix<float>(2, 3);
        Assert.Same(x, identity.Forward(x));
        var dy = new Matrix<float>(2, 3);
        Assert.Same(dy, identity.Backward(dy));
        Assert.Null(identity.Backward(dy, computeInputGrad: false));
        var relu = new ReLU<float>();
        relu.Forward(x);
        Assert.Null(relu.Backward(dy, computeInputGrad: false));
    }

    [Fact]
    public void SpecOfNullIsRefused() => Assert.Throws<ArgumentNullException>(() => LayerSpec.Of(null!));
}
