namespace Engine.Tests.Initializers;

/// <summary>Gain table, defaults, names, determinism, shape handling and argument validation.</summary>
public class InitializerTests
{
    [Fact]
    public void GainTable_MatchesTorchCalculateGain()
    {
        Assert.Equal(1.0, Init.Gain(Activation.Identity));
        Assert.Equal(1.0, Init.Gain(Activation.Sigmoid));
        Assert.Equal(5.0 / 3.0, Init.Gain(Activation.Tanh));
        Assert.Equal(Math.Sqrt(2.0), Init.Gain(Activation.ReLU));
        // torch.nn.init.calculate_gain('leaky_relu') (default slope 0.01) and with 0.2; PReLU uses the same rule.
        Assert.Equal(1.4141428569978354, Init.Gain(Activation.LeakyReLU), 15);
        Assert.Equal(1.3867504905630728, Init.Gain(Activation.LeakyReLU, 0.2), 15);
        Assert.Equal(1.3719886811400708, Init.Gain(Activation.PReLU, 0.25), 15);
        Assert.Equal(Math.Sqrt(2.0), Init.Gain(Activation.LeakyReLU, 0.0));
        // The slope is ignored where the unit has none.
        Assert.Equal(Math.Sqrt(2.0), Init.Gain(Activation.ReLU, 0.3));
    }

    [Fact]
    public void Fan_IsColsForFanInAndRowsForFanOut()
    {
        var context = new InitContext(3, 7, Activation.ReLU, 0, new Rng(1));
        Assert.Equal(7, Init.Fan(context, FanMode.FanIn));
        Assert.Equal(3, Init.Fan(context, FanMode.FanOut));
    }

    [Theory]
    [InlineData(Activation.ReLU, typeof(HeNormal))]
    [InlineData(Activation.LeakyReLU, typeof(HeNormal))]
    [InlineData(Activation.PReLU, typeof(HeNormal))]
    [InlineData(Activation.Tanh, typeof(XavierUniform))]
    [InlineData(Activation.Sigmoid, typeof(XavierUniform))]
    [InlineData(Activation.Identity, typeof(XavierUniform))]
    public void DefaultFor_IsHeForTheReLUFamilyAndXavierOtherwise(Activation activation, Type expected)
    {
        var init = Initializer.DefaultFor(activation);
        Assert.IsType(expected, init);
        if (init is HeNormal he)
        {
            Assert.Equal(FanMode.FanIn, he.Mode);
            Assert.Null(he.NegativeSlope); // slope-aware: taken from the context
        }
        if (init is XavierUniform xavier)
            Assert.Equal(1.0, xavier.Gain);
    }

    [Theory]
    [InlineData("he-normal", typeof(HeNormal), "he-normal")]
    [InlineData("he-uniform", typeof(HeUniform), "he-uniform")]
    [InlineData("xavier-normal", typeof(XavierNormal), "xavier-normal")]
    [InlineData("xavier-uniform", typeof(XavierUniform), "xavier-uniform")]
    [InlineData("glorot-normal", typeof(XavierNormal), "xavier-normal")]
    [InlineData("glorot-uniform", typeof(XavierUniform), "xavier-uniform")]
    [InlineData("lecun-normal", typeof(LeCunNormal), "lecun-normal")]
    [InlineData("lecun-uniform", typeof(LeCunUniform), "lecun-uniform")]
    [InlineData("uniform", typeof(Uniform), "uniform")]
    [InlineData("normal", typeof(Normal), "normal")]
    [InlineData("truncated-normal", typeof(TruncatedNormal), "truncated-normal")]
    [InlineData("orthogonal", typeof(Orthogonal), "orthogonal")]
    [InlineData("zeros", typeof(Zeros), "zeros")]
    [InlineData("he-truncated-normal", typeof(HeTruncatedNormal), "he-truncated-normal")]
    [InlineData("torch-default", typeof(TorchDefault), "torch-default")]
    [InlineData("  He-Normal ", typeof(HeNormal), "he-normal")]
    public void Parse_KnowsEveryNameAndRoundTrips(string name, Type type, string canonical)
    {
        var init = Initializer.Parse(name);
        Assert.IsType(type, init);
        Assert.Equal(canonical, init.Name);
        Assert.Equal(canonical, Initializer.NameOf(init));
        Assert.IsType(type, Initializer.Parse(init.Name));
    }

    [Fact]
    public void Names_AllParse()
    {
        Assert.Equal(15, Initializer.Names.Count);
        Assert.False(Initializer.Names is string[], "the list of names must not be a mutable array");
        foreach (string name in Initializer.Names)
            Assert.NotNull(Initializer.Parse(name));
    }

    [Fact]
    public void Parse_DefaultsMatchTheDocumentedOnes()
    {
        var uniform = Assert.IsType<Uniform>(Initializer.Parse("uniform"));
        Assert.Equal((-0.05, 0.05), (uniform.Low, uniform.High));
        var normal = Assert.IsType<Normal>(Initializer.Parse("normal"));
        Assert.Equal((0.0, 0.05), (normal.Mean, normal.Std));
        var truncated = Assert.IsType<TruncatedNormal>(Initializer.Parse("truncated-normal"));
        Assert.Equal((0.0, 0.05, -2.0, 2.0, false), (truncated.Mean, truncated.Std, truncated.LowSigmas, truncated.HighSigmas, truncated.CorrectStd));
    }

    [Fact]
    public void Parse_UnknownNameListsTheValidOnes()
    {
        var ex = Assert.Throws<ArgumentException>(() => Initializer.Parse("kaiming"));
        Assert.Equal("name", ex.ParamName);
        Assert.Contains("'kaiming'", ex.Message, StringComparison.Ordinal);
        foreach (string name in Initializer.Names)
            Assert.Contains(name, ex.Message, StringComparison.Ordinal);
    }

    private sealed class Custom : IInitializer
    {
        public void Initialize(Span<double> weights, InitContext context) => weights.Fill(1);
    }

    [Fact]
    public void NameOf_FallsBackToTheTypeName()
    {
        Assert.Equal("Custom", Initializer.NameOf(new Custom()));
        Assert.Equal("constant", Initializer.NameOf(new Constant(1)));
    }

    public static TheoryData<string> RandomNames() => new(Initializer.Names.Where(n => n != "zeros"));

    [Theory]
    [MemberData(nameof(RandomNames))]
    public void SameSeedGivesIdenticalWeightsDifferentSeedDifferent(string name)
    {
        var a = Draw.Weights(Initializer.Parse(name), 17, 23, Activation.LeakyReLU, 0.1, seed: 99);
        var b = Draw.Weights(Initializer.Parse(name), 17, 23, Activation.LeakyReLU, 0.1, seed: 99);
        var c = Draw.Weights(Initializer.Parse(name), 17, 23, Activation.LeakyReLU, 0.1, seed: 100);
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
        Assert.Equal(a.Length, a.Distinct().Count()); // continuous draws: no repeats, no constant fill
    }

    [Theory]
    [InlineData(0, 5)]
    [InlineData(5, 0)]
    [InlineData(0, 0)]
    public void EmptyShapeIsANoOpThatDrawsNothing(int rows, int cols)
    {
        foreach (string name in Initializer.Names)
        {
            var rng = new Rng(8);
            var before = rng.GetState();
            Initializer.Parse(name).Initialize(Span<double>.Empty, new InitContext(rows, cols, Activation.ReLU, 0, rng));
            Assert.Equal(before, rng.GetState());
        }
    }

    [Fact]
    public void SpanOfTheWrongLengthIsRejected()
    {
        var ex = Assert.Throws<ArgumentException>(() =>
            new HeNormal().Initialize(new double[11], new InitContext(3, 4, Activation.ReLU, 0, new Rng(1))));
        Assert.Equal("weights", ex.ParamName);
        Assert.Contains("11", ex.Message, StringComparison.Ordinal);
        Assert.Contains("3×4", ex.Message, StringComparison.Ordinal);
        Assert.Contains("he-normal", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NegativeShapeIsRejected()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() =>
            new Zeros().Initialize(Span<double>.Empty, new InitContext(-1, 0, Activation.ReLU, 0, new Rng(1))));
        Assert.Contains("-1×0", ex.Message, StringComparison.Ordinal);
    }

    /// <summary>Each bad argument: the constructor call, the parameter named, a fragment the message must contain.</summary>
    public static TheoryData<string, string, string> BadArguments() => new()
    {
        { "normal std -1", "std", "-1" },
        { "normal std NaN", "std", "NaN" },
        { "normal mean inf", "mean", "Infinity" },
        { "uniform 0.1 0.1", "low", "0.1" },
        { "uniform 1 -1", "low", "high = -1" },
        { "uniform NaN 1", "low", "NaN" },
        { "xavier-normal 0", "gain", "got 0" },
        { "xavier-uniform -2", "gain", "-2" },
        { "orthogonal NaN", "gain", "NaN" },
        { "he-normal mode 7", "mode", "7" },
        { "he-uniform slope NaN", "negativeSlope", "NaN" },
        { "truncated sigmas 2 -2", "lowSigmas", "highSigmas = -2" },
        { "truncated sigmas 5 6", "lowSigmas", "[5, 6]" },
        { "truncated std -0.5", "std", "-0.5" },
        { "constant NaN", "value", "NaN" },
        { "gain slope NaN", "negativeSlope", "NaN" },
        { "gain activation 99", "activation", "99" },
        { "default activation 99", "activation", "99" },
    };

    private static object Make(string what) => what switch
    {
        "normal std -1" => new Normal(std: -1),
        "normal std NaN" => new Normal(std: double.NaN),
        "normal mean inf" => new Normal(mean: double.PositiveInfinity),
        "uniform 0.1 0.1" => new Uniform(0.1, 0.1),
        "uniform 1 -1" => new Uniform(1, -1),
        "uniform NaN 1" => new Uniform(double.NaN, 1),
        "xavier-normal 0" => new XavierNormal(0),
        "xavier-uniform -2" => new XavierUniform(-2),
        "orthogonal NaN" => new Orthogonal(double.NaN),
        "he-normal mode 7" => new HeNormal((FanMode)7),
        "he-uniform slope NaN" => new HeUniform(negativeSlope: double.NaN),
        "truncated sigmas 2 -2" => new TruncatedNormal(lowSigmas: 2, highSigmas: -2),
        "truncated sigmas 5 6" => new TruncatedNormal(lowSigmas: 5, highSigmas: 6),
        "truncated std -0.5" => new TruncatedNormal(std: -0.5),
        "constant NaN" => new Constant(double.NaN),
        "gain slope NaN" => Init.Gain(Activation.LeakyReLU, double.NaN),
        "gain activation 99" => Init.Gain((Activation)99),
        "default activation 99" => Initializer.DefaultFor((Activation)99),
        _ => throw new InvalidOperationException(what),
    };

    [Theory]
    [MemberData(nameof(BadArguments))]
    public void BadArgumentsAreRejectedWithTheParameterAndValue(string what, string parameter, string fragment)
    {
        var ex = Assert.ThrowsAny<ArgumentException>(() => Make(what));
        Assert.Equal(parameter, ex.ParamName);
        Assert.Contains(parameter, ex.Message, StringComparison.Ordinal);
        Assert.Contains(fragment, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ZeroStdIsAllowedAndGivesTheMean()
    {
        var w = Draw.Weights(new Normal(0.3, 0), 4, 5);
        Assert.All(w, v => Assert.Equal(0.3, v));
    }
}
