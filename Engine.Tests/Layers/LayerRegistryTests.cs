namespace Engine.Tests.Layers;

public class LayerRegistryTests
{
    private static Exception Problem(string what) => new InvalidOperationException(what);

    // One valid spec per registered type.
    private static readonly LayerSpec[] ValidSpecs =
    [
        new LayerSpec("Dense", 3, 5),
        new LayerSpec("Identity"),
        new LayerSpec("ReLU"),
        new LayerSpec("LeakyReLU", Slope: 0.2),
        new LayerSpec("PReLU", Slope: 0.25, NumParameters: 1),
        new LayerSpec("PReLU", Slope: 0.1, NumParameters: 4),
        new LayerSpec("Sigmoid"),
        new LayerSpec("Tanh"),
        new LayerSpec("ELU"),
        new LayerSpec("SELU"),
        new LayerSpec("GELU"),
        new LayerSpec("GELU", Approximate: "tanh"),
        new LayerSpec("SiLU"),
    ];

    public static TheoryData<LayerSpec> Specs => new(ValidSpecs);

    [Fact]
    public void EveryTypeHasASpecHere() =>
        Assert.Equal(LayerRegistry.Types.Order(), ValidSpecs.Select(spec => spec.Type).Distinct().Order());

    [Theory]
    [MemberData(nameof(Specs))]
    public void SpecRoundTripsThroughALayer(LayerSpec spec)
    {
        var layer = LayerRegistry.Create<float>(spec, Problem);
        Assert.Equal(spec.Type, layer.Name);
        Assert.Equal(spec, layer.Spec);
        Assert.Equal(spec, LayerRegistry.Create<double>(spec, Problem).Spec);
    }

    [Theory]
    [MemberData(nameof(Specs))]
    public void ParameterShapesFromTheSpecMatchTheLayer(LayerSpec spec)
    {
        var layer = LayerRegistry.Create<float>(spec, Problem);
        var fromSpec = LayerRegistry.ParameterShapes(spec, Problem);
        Assert.Equal(layer.Parameters.Select(p => p.Name), fromSpec.Select(p => p.Name));
        Assert.Equal(layer.Parameters.Select(p => string.Join(",", p.Shape)), fromSpec.Select(p => string.Join(",", p.Shape)));
        Assert.All(layer.Parameters, p => Assert.Equal(p.Length, p.Shape.Aggregate(1L, (n, d) => n * d)));
    }

    [Theory]
    [InlineData("Conv2d", null, "unknown layer type")]
    [InlineData("Dense", null, "invalid sizes")]
    [InlineData("LeakyReLU", null, "invalid slope")]
    [InlineData("PReLU", null, "invalid parameters")]
    [InlineData("GELU", "erf", "invalid approximation")]
    public void BadSpecsAreReported(string type, string? approximate, string message)
    {
        var spec = new LayerSpec(type, Approximate: approximate);
        Assert.Contains(message, LayerRegistry.Problem(spec));
        var ex = Assert.Throws<InvalidOperationException>(() => LayerRegistry.Create<float>(spec, Problem));
        Assert.Contains(message, ex.Message);
    }

    [Fact]
    public void SequentialChecksWidthsThroughTheLayersOwnRequirement()
    {
        var ex = Assert.Throws<ArgumentException>(() => new Sequential<float>(new Dense<float>(2, 3), new PReLU<float>(4), new Dense<float>(4, 1)));
        Assert.Contains("takes 4 features but the layer before it produces 3", ex.Message);
        _ = new Sequential<float>(new Dense<float>(2, 3), new GELU<float>(), new PReLU<float>(3), new Dense<float>(3, 1));
    }
}
