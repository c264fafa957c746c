namespace Engine.Tests.Layers;

/// <summary>
/// Sequential's bookkeeping, by hand: construction checks, the widths it derives, the parameter count, and where
/// Backward stops (below the first layer with parameters nothing is asked for a gradient).
/// </summary>
public class SequentialStructureTests
{
    [Fact]
    public void NullEmptyOrHoleyLayerListsAreRefused()
    {
        Assert.Throws<ArgumentNullException>(() => new Sequential<float>(null!));
        var empty = Assert.Throws<ArgumentException>(() => new Sequential<float>());
        Assert.Contains("at least one layer", empty.Message, StringComparison.Ordinal);
        var hole = Assert.Throws<ArgumentNullException>(() => new Sequential<float>(new Dense<float>(2, 3), null!, new Dense<float>(3, 1)));
        Assert.Equal("layers", hole.ParamName);
        Assert.Contains("Layer 1 is null.", hole.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void InputFeaturesComeFromTheFirstLayerThatFixesThem()
    {
        Assert.Null(new Sequential<float>(new ReLU<float>(), new Tanh<float>()).InputFeatures);
        Assert.Equal(3, new Sequential<float>(new ReLU<float>(), new Dense<float>(3, 2)).InputFeatures);
        Assert.Equal(4, new Sequential<float>(new Identity<float>(), new PReLU<float>(4), new Dense<float>(4, 2)).InputFeatures);
    }

    [Fact]
    public void OutputFeaturesAndParameterCountFollowTheLayers()
    {
        var model = new Sequential<float>(new Dense<float>(3, 4), new PReLU<float>(4), new Dense<float>(4, 2));
        Assert.Equal(2, model.OutputFeatures(3));
        Assert.Equal(7, new Sequential<float>(new ReLU<float>()).OutputFeatures(7));
        // 3·4 + 4 + 4 + 4·2 + 2
        Assert.Equal(30, model.ParameterCount);
        Assert.Equal(["0.weight", "0.bias", "1.weight", "2.weight", "2.bias"], model.NamedParameters.Select(np => np.Name));
    }

    [Fact]
    public void AWidthPassesThroughLayersThatDoNotFixOne()
    {
        // the ReLU takes whatever the first Dense produces (3), so the second Dense's 4 is a mismatch
        var ex = Assert.Throws<ArgumentException>(() => new Sequential<float>(new Dense<float>(2, 3), new ReLU<float>(), new Dense<float>(4, 1)));
        Assert.Contains("Layer 2 (Dense(4 → 1)) takes 4 features but the layer before it produces 3", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void BackwardStopsBelowTheFirstLayerWithParameters()
    {
        // A OneHotDense refuses to compute an input gradient; below it there is only a parameter-free layer, so
        // Sequential must not ask for one. A leading activation is not given a gradient either.
        var lookup = new OneHotDense<double>(1, [3], 2);
        var model = new Sequential<double>(new Identity<double>(), lookup, new Tanh<double>(), new Dense<double>(2, 1));
        model.Initialize(1);
        var x = new Matrix<double>(2, 2, [0.5, 2, -1, 0]);
        model.Forward(x);
        model.ZeroGrad();
        model.Backward(new Matrix<double>(2, 1, [1, -1]));
        Assert.Contains(lookup.Weight.Grad.AsSpan().ToArray(), g => g != 0);

        var leading = new Sequential<double>(new ReLU<double>(), new Dense<double>(2, 1));
        leading.Forward(new Matrix<double>(1, 2, [1, 2]));
        leading.Backward(new Matrix<double>(1, 1, [1]));
        Assert.Equal([1.0, 2.0], leading.Parameters[0].Grad.AsSpan().ToArray());
    }

    [Fact]
    public void InitializeDrawsALookupLayerAndRefusesNoGenerator()
    {
        var model = new Sequential<float>(new OneHotDense<float>(1, [3], 4), new ReLU<float>(), new Dense<float>(4, 2));
        model.Initialize(3);
        Assert.Contains(model.Parameters[0].Value.AsSpan().ToArray(), w => w != 0);
        Assert.Throws<ArgumentNullException>(() => model.Initialize(null!));
        Assert.Throws<ArgumentNullException>(() => new Sequential<float>(new ReLU<float>()).Initialize(null!)); // even with nothing to draw
    }

    [Fact]
    public void MlpCreateNamesTheBadArgument()
    {
        Assert.Throws<ArgumentNullException>(() => Mlp.Create(3, null!, 2));
        Assert.Equal("inputs", Assert.Throws<ArgumentOutOfRangeException>(() => Mlp.Create(0, [4], 2)).ParamName);
        Assert.Equal("outputs", Assert.Throws<ArgumentOutOfRangeException>(() => Mlp.Create(3, [4], 0)).ParamName);
        Assert.Equal("hidden", Assert.Throws<ArgumentOutOfRangeException>(() => Mlp.Create(3, [4, 0], 2)).ParamName);
    }
}
