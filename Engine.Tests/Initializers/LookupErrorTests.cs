namespace Engine.Tests.Initializers;

/// <summary>
/// The name tables and the shape check fail the way their documentation says: the exception type, the parameter,
/// and a message that lists what is valid.
/// </summary>
public class LookupErrorTests
{
    [Fact]
    public void ActivationParseRefusesNullAndListsTheValidNamesSeparated()
    {
        Assert.Throws<ArgumentNullException>(() => Activations.Parse(null!));
        var ex = Assert.Throws<ArgumentException>(() => Activations.Parse("swish"));
        Assert.Equal("name", ex.ParamName);
        Assert.Contains("Unknown activation 'swish'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("identity, relu, leaky-relu, prelu, sigmoid, tanh", ex.Message, StringComparison.Ordinal);
        Assert.Equal(Activation.ReLU, Activations.Parse("relu"));
        Assert.Equal(Activation.Tanh, Activations.Parse("TANH"));
    }

    [Fact]
    public void AnActivationJustPastTheTableIsUnknownNotAnIndexError()
    {
        var past = (Activation)Enum.GetValues<Activation>().Length; // one past the last defined value
        Assert.False(Enum.IsDefined(past));
        var gain = Assert.Throws<ArgumentOutOfRangeException>(() => Init.Gain(past));
        Assert.Equal("activation", gain.ParamName);
        Assert.Contains($"Unknown activation {(int)past}", gain.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => Activations.NameOf(past));
        Assert.Throws<ArgumentOutOfRangeException>(() => Initializer.DefaultFor(past));
    }

    [Fact]
    public void FanOfAnUndefinedModeNamesTheMode()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => Init.Fan(new InitContext(2, 3, Activation.ReLU, 0, new Rng(1)), (FanMode)9));
        Assert.Equal("mode", ex.ParamName);
        Assert.Contains("Unknown fan mode 9", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void InitializerParseRefusesNullAndListsTheValidNamesSeparated()
    {
        Assert.Throws<ArgumentNullException>(() => Initializer.Parse(null!));
        var ex = Assert.Throws<ArgumentException>(() => Initializer.Parse("kaiming"));
        Assert.Contains("he-normal, he-uniform, he-truncated-normal", ex.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentNullException>(() => Initializer.NameOf(null!));
    }

    [Fact]
    public void AWrongSpanLengthNamesTheLengthTheShapeNeeds()
    {
        var ex = Assert.Throws<ArgumentException>(() =>
            new XavierNormal().Initialize(new double[10], new InitContext(3, 4, Activation.Tanh, 0, new Rng(1))));
        Assert.Contains("has 10 elements but the shape 3×4 needs 12", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0, 4)]
    [InlineData(4, 0)]
    public void AnEmptyShapeNeedsNoGenerator(int rows, int cols)
    {
        // Nothing is drawn for an empty tensor, so not even the generator is looked at.
        foreach (string name in Initializer.Names)
            Initializer.Parse(name).Initialize(Span<double>.Empty, new InitContext(rows, cols, Activation.ReLU, 0, null!));
        Assert.Throws<ArgumentNullException>(() =>
            new Normal().Initialize(new double[4], new InitContext(2, 2, Activation.ReLU, 0, null!)));
    }
}
