namespace Engine.Tests.Layers;

/// <summary>
/// The sizes a file may claim, at and one past each limit (2²⁴ units, 2²⁸ Dense weights), checked on the spec alone:
/// nothing here allocates a layer of that size.
/// </summary>
public class LayerRegistryLimitTests
{
    private const int MaxWidth = 1 << 24;

    private static Exception Problem(string what) => new InvalidOperationException(what);

    [Theory]
    [InlineData(1, 1)]
    [InlineData(MaxWidth, 1)]
    [InlineData(1, MaxWidth)]
    [InlineData(MaxWidth, 16)] // exactly 2²⁸ weights
    [InlineData(16, MaxWidth)]
    public void DenseSizesUpToTheLimitsAreAccepted(int inFeatures, int outFeatures)
    {
        var spec = new LayerSpec("Dense", inFeatures, outFeatures);
        Assert.Null(LayerRegistry.Problem(spec));
        var shapes = LayerRegistry.ParameterShapes(spec, Problem);
        Assert.Equal(new long[] { outFeatures, inFeatures }, shapes[0].Shape);
        Assert.Equal(new long[] { outFeatures }, shapes[1].Shape);
    }

    [Theory]
    [InlineData(0, 5)]
    [InlineData(5, 0)]
    [InlineData(-1, 5)]
    [InlineData(MaxWidth + 1, 1)]
    [InlineData(1, MaxWidth + 1)]
    [InlineData(null, 5)]
    [InlineData(5, null)]
    public void DenseSizesOutsideTheRangeAreInvalid(int? inFeatures, int? outFeatures)
    {
        var spec = new LayerSpec("Dense", inFeatures, outFeatures);
        Assert.Equal($"Dense layer has invalid sizes in={inFeatures}, out={outFeatures}.", LayerRegistry.Problem(spec));
        Assert.Throws<InvalidOperationException>(() => LayerRegistry.ParameterShapes(spec, Problem));
    }

    [Theory]
    [InlineData(MaxWidth, 17)]
    [InlineData(1 << 15, 1 << 14)] // 2²⁹
    public void DenseOverTwoToThe28WeightsIsTooLarge(int inFeatures, int outFeatures)
    {
        var spec = new LayerSpec("Dense", inFeatures, outFeatures);
        Assert.Equal($"Dense layer {inFeatures}×{outFeatures} is larger than any model this engine writes.", LayerRegistry.Problem(spec));
    }

    [Theory]
    [InlineData(1, null)]
    [InlineData(MaxWidth, null)]
    [InlineData(0, "invalid parameters (count 0")]
    [InlineData(-2, "invalid parameters (count -2")]
    [InlineData(MaxWidth + 1, "invalid parameters")]
    public void PReLUSlopeCountIsBetweenOneAndTheLimit(int count, string? problem)
    {
        var spec = new LayerSpec("PReLU", Slope: 0.25, NumParameters: count);
        if (problem is null)
        {
            Assert.Null(LayerRegistry.Problem(spec));
            Assert.Equal(new long[] { count }, LayerRegistry.ParameterShapes(spec, Problem)[0].Shape);
        }
        else
        {
            Assert.Contains(problem, LayerRegistry.Problem(spec), StringComparison.Ordinal);
        }
        Assert.NotNull(LayerRegistry.Problem(new LayerSpec("PReLU", Slope: double.NaN, NumParameters: 1)));
    }

    [Fact]
    public void NullArgumentsAreRefused()
    {
        Assert.Throws<ArgumentNullException>(() => LayerRegistry.Problem(null!));
        var valid = new LayerSpec("ReLU");
        Assert.Throws<ArgumentNullException>(() => LayerRegistry.ParameterShapes(valid, null!));
        Assert.Throws<ArgumentNullException>(() => LayerRegistry.Create<float>(valid, null!));
        Assert.Empty(LayerRegistry.ParameterShapes(valid, Problem));
    }

    [Fact]
    public void AnUndefinedActivationIsAnArgumentError()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => LayerRegistry.CreateActivation<float>((Activation)99));
        Assert.Equal("activation", ex.ParamName);
        Assert.Contains("Unknown activation.", ex.Message, StringComparison.Ordinal);
        var slope = Assert.Throws<ArgumentOutOfRangeException>(() => LayerRegistry.CreateActivation<float>(Activation.LeakyReLU, double.NaN));
        Assert.Equal("negativeSlope", slope.ParamName);
        Assert.Equal(0.3, Assert.IsType<LeakyReLU<float>>(LayerRegistry.CreateActivation<float>(Activation.LeakyReLU, 0.3)).NegativeSlope);
    }
}
