namespace Engine.Tests.Layers;

public class LayerGradientTests
{
    // Odd sizes so no vector width divides them: scalar tails are exercised too.
    private const int Batch = 5, Features = 37;

    [Fact]
    public void Dense()
    {
        var rng = new Rng(1);
        var layer = new Dense<double>(Features, 19, biasInitializer: null);
        layer.ResetParameters(rng, Activation.ReLU);
        GradientCheck.Random(rng, 1, 19).AsSpan().CopyTo(layer.Bias.Value.AsSpan()); // non-zero bias
        GradientCheck.CheckLayer(layer, GradientCheck.Random(rng, Batch, Features), rng);
    }

    [Fact]
    public void ReLU() => CheckActivation(new ReLU<double>());

    [Fact]
    public void LeakyReLU() => CheckActivation(new LeakyReLU<double>(0.2));

    [Fact]
    public void PReLUShared() => CheckActivation(new PReLU<double>(1, 0.25));

    [Fact]
    public void PReLUPerUnit()
    {
        var layer = new PReLU<double>(Features, 0.25);
        var rng = new Rng(9);
        // distinct slopes per unit so a mix-up between units would show
        var a = layer.Slope.Value.AsSpan();
        for (int j = 0; j < a.Length; j++)
            a[j] = 0.05 + 0.01 * j;
        GradientCheck.CheckLayer(layer, GradientCheck.Random(rng, Batch, Features, avoidZero: 0.01), rng);
    }

    [Fact]
    public void Sigmoid() => CheckActivation(new Sigmoid<double>());

    [Fact]
    public void Tanh() => CheckActivation(new Tanh<double>());

    [Fact]
    public void Identity() => CheckActivation(new Identity<double>());

    [Theory]
    [InlineData(Activation.ReLU)]
    [InlineData(Activation.LeakyReLU)]
    [InlineData(Activation.PReLU)]
    [InlineData(Activation.Tanh)]
    [InlineData(Activation.Sigmoid)]
    public void WholeMlpThroughSequential(Activation activation)
    {
        var model = Mlp.Create<double>(7, [11, 13], 3, activation, seed: 4);
        var rng = new Rng(5);
        var x = GradientCheck.Random(rng, 6, 7);
        var r = GradientCheck.Random(rng, 6, 3);
        double F()
        {
            var y = model.Forward(x).AsSpan();
            double s = 0;
            for (int i = 0; i < y.Length; i++)
                s += y[i] * r.AsSpan()[i];
            return s;
        }
        model.ZeroGrad();
        model.Forward(x);
        model.Backward(r);
        foreach (var (name, p) in model.NamedParameters)
            GradientCheck.AssertClose(GradientCheck.Numeric(F, p.Value.AsSpan()), p.Grad.AsSpan().ToArray(), name);
    }

    [Fact]
    public void BackwardAccumulatesIntoGradients()
    {
        var rng = new Rng(2);
        var layer = new Dense<double>(4, 3);
        layer.ResetParameters(rng);
        var x = GradientCheck.Random(rng, 2, 4);
        var dy = GradientCheck.Random(rng, 2, 3);
        layer.Forward(x);
        layer.Backward(dy);
        var once = layer.Weight.Grad.AsSpan().ToArray();
        layer.Backward(dy);
        var twice = layer.Weight.Grad.AsSpan().ToArray();
        for (int i = 0; i < once.Length; i++)
            Assert.Equal(2 * once[i], twice[i], 12);
    }

    [Fact]
    public void FirstLayerSkipsInputGradient()
    {
        var layer = new Dense<float>(4, 3);
        layer.ResetParameters(new Rng(1));
        layer.Forward(new Matrix<float>(2, 4));
        Assert.Null(layer.Backward(new Matrix<float>(2, 3), computeInputGrad: false));
    }

    [Fact]
    public void DenseRejectsWrongInputWidthNamingShapes()
    {
        var layer = new Dense<float>(4, 3);
        var ex = Assert.Throws<ArgumentException>(() => layer.Forward(new Matrix<float>(2, 5)));
        Assert.Contains("2×5", ex.Message);
        Assert.Contains("4 columns", ex.Message);
    }

    [Fact]
    public void BadLayerArgumentsThrow()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new Dense<float>(0, 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Dense<float>(3, -2));
        Assert.Throws<ArgumentOutOfRangeException>(() => new LeakyReLU<float>(double.NaN));
        Assert.Throws<ArgumentOutOfRangeException>(() => new PReLU<float>(0));
        Assert.Throws<InvalidOperationException>(() => new ReLU<float>().Backward(new Matrix<float>(1, 1)));
    }

    [Fact]
    public void SameSeedGivesBitIdenticalWeights()
    {
        var a = Mlp.Create(10, [32, 16], 3, seed: 123);
        var b = Mlp.Create(10, [32, 16], 3, seed: 123);
        var c = Mlp.Create(10, [32, 16], 3, seed: 124);
        for (int i = 0; i < a.Parameters.Count; i++)
            Assert.True(a.Parameters[i].Value.AsSpan().SequenceEqual(b.Parameters[i].Value.AsSpan()));
        Assert.False(a.Parameters[0].Value.AsSpan().SequenceEqual(c.Parameters[0].Value.AsSpan()));
    }

    private static void CheckActivation(Layer<double> layer)
    {
        var rng = new Rng(3);
        GradientCheck.CheckLayer(layer, GradientCheck.Random(rng, Batch, Features, avoidZero: 0.01), rng);
    }
}
