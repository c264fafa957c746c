namespace Engine.Tests.Optimizers;

public class OptimizerTests
{
    private static Parameter<double> Param(double value, double grad, bool decay = true)
    {
        var p = new Parameter<double>("w", 1, 1, decay);
        p.Value[0, 0] = value;
        p.Grad[0, 0] = grad;
        return p;
    }

    [Fact]
    public void PlainSgdStepsAgainstTheGradient()
    {
        var p = Param(1.0, 0.5);
        new Sgd<double>([p], learningRate: 0.1).Step();
        Assert.Equal(1.0 - 0.1 * 0.5, p.Value[0, 0], 15);
    }

    [Fact]
    public void MomentumFollowsPyTorch()
    {
        // torch.optim.SGD(lr=0.1, momentum=0.9), constant grad 1: v1 = 1, v2 = 1.9, v3 = 2.71
        var p = Param(0, 1);
        var sgd = new Sgd<double>([p], 0.1, momentum: 0.9);
        sgd.Step();
        sgd.Step();
        sgd.Step();
        Assert.Equal(-0.1 * (1 + 1.9 + 2.71), p.Value[0, 0], 12);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(1e-3)]
    public void FusedMomentumStepMatchesTheScalarFormulaBitForBit(double weightDecay)
    {
        // 37 elements: the Vector512 and Vector256 loops and the scalar tail all run
        var rng = new Rng(4);
        var p = new Parameter<float>("w", 1, 37, weightDecay: true);
        float[] w = [.. Enumerable.Range(0, 37).Select(_ => (float)rng.NextNormal())];
        w.CopyTo(p.Value.AsSpan());
        var v = new float[37];
        var sgd = new Sgd<float>([p], 0.01, momentum: 0.9, weightDecay: weightDecay);
        float lr = 0.01f, mu = 0.9f, wd = (float)weightDecay;
        for (int step = 0; step < 5; step++)
        {
            float[] g = [.. Enumerable.Range(0, 37).Select(_ => (float)rng.NextNormal())];
            g.CopyTo(p.Grad.AsSpan());
            sgd.Step();
            for (int i = 0; i < 37; i++)
            {
                float gi = wd != 0 ? w[i] * wd + g[i] : g[i];
                v[i] = step == 0 ? gi : v[i] * mu + gi;
                w[i] = v[i] * -lr + w[i];
            }
            Assert.Equal(w, p.Value.AsSpan().ToArray());
        }
    }

    [Fact]
    public void NesterovFollowsPyTorch()
    {
        // update_t = g + μ·v_t: v1 = 1 → 1.9; v2 = 1.9 → 2.71
        var p = Param(0, 1);
        var sgd = new Sgd<double>([p], 0.1, momentum: 0.9, nesterov: true);
        sgd.Step();
        sgd.Step();
        Assert.Equal(-0.1 * (1.9 + 2.71), p.Value[0, 0], 12);
    }

    [Fact]
    public void WeightDecaySkipsParametersThatOptOut()
    {
        var w = Param(2.0, 0);
        var slope = Param(2.0, 0, decay: false);
        new Sgd<double>([w, slope], 0.1, weightDecay: 0.5).Step();
        Assert.Equal(2.0 - 0.1 * 0.5 * 2.0, w.Value[0, 0], 15);
        Assert.Equal(2.0, slope.Value[0, 0]);
    }

    [Fact]
    public void PReLUSlopeIsExcludedFromWeightDecayByDefault()
    {
        var model = Mlp.Create(3, [4], 2, Activation.PReLU);
        var slope = model.NamedParameters.Single(np => np.Name == "1.weight").Parameter;
        Assert.False(slope.WeightDecay);
        Assert.True(model.NamedParameters.Single(np => np.Name == "0.weight").Parameter.WeightDecay);
        Assert.False(model.NamedParameters.Single(np => np.Name == "0.bias").Parameter.WeightDecay);
    }

    [Fact]
    public void AdamFirstStepMovesByLearningRate()
    {
        // m̂ = g, v̂ = g² on the first step, so the update is lr·g/(|g| + ε) ≈ lr·sign(g)
        var p = Param(1.0, -3.0);
        new Adam<double>([p], learningRate: 0.01).Step();
        Assert.Equal(1.01, p.Value[0, 0], 9);
    }

    [Fact]
    public void AdamWDecaysDecoupled()
    {
        var p = Param(1.0, 0.0);
        new AdamW<double>([p], learningRate: 0.1, weightDecay: 0.5).Step();
        Assert.Equal(1.0 * (1 - 0.1 * 0.5), p.Value[0, 0], 12);
    }

    [Fact]
    public void BadHyperparametersThrowNamingTheValue()
    {
        var p = Param(0, 0);
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new Sgd<double>([p], learningRate: double.NaN));
        Assert.Contains("NaN", ex.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new Sgd<double>([p], 0.1, momentum: 1.0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Sgd<double>([p], -1));
        Assert.Throws<ArgumentException>(() => new Sgd<double>([p], 0.1, nesterov: true));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Adam<double>([p], beta1: 1.5));
    }

    [Fact]
    public void SchedulesGiveTheirFormulas()
    {
        Assert.Equal(0.1, new ConstantSchedule().At(0.1, 7));
        Assert.Equal(0.1 * 0.5 * 0.5, new StepDecay(10, 0.5).At(0.1, 25), 15);
        Assert.Equal(0.1, new CosineSchedule(10).At(0.1, 0), 15);
        Assert.Equal(0.05, new CosineSchedule(10).At(0.1, 5), 15);
        Assert.Equal(0.0, new CosineSchedule(10).At(0.1, 10), 15);
        Assert.Equal(0.05, new LinearWarmup(2).At(0.1, 1), 15);
        Assert.Equal(0.1, new LinearWarmup(2, new CosineSchedule(10)).At(0.1, 2), 15);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.01)]
    public void SgdMomentumOnTwoThreadsGivesTheOneThreadBits(double weightDecay)
    {
        var rng = new Rng(12);
        Parameter<float> Make()
        {
            var p = new Parameter<float>("w", 1, 70_013, weightDecay: true);
            return p;
        }
        var one = Make();
        var two = Make();
        for (int i = 0; i < one.Length; i++)
        {
            float w = (float)rng.NextNormal();
            one.Value.AsSpan()[i] = two.Value.AsSpan()[i] = w;
        }
        var sgdOne = new Sgd<float>([one], 0.01, momentum: 0.9, weightDecay: weightDecay);
        var sgdTwo = new Sgd<float>([two], 0.01, momentum: 0.9, weightDecay: weightDecay);
        int saved = Sgd<float>.ParallelMinLength;
        int threads = KernelOptions.MaxThreads;
        try
        {
            KernelOptions.MaxThreads = 2;
            for (int step = 0; step < 3; step++)
            {
                for (int i = 0; i < one.Length; i++)
                    one.Grad.AsSpan()[i] = two.Grad.AsSpan()[i] = (float)rng.NextNormal();
                Sgd<float>.ParallelMinLength = int.MaxValue;
                sgdOne.Step();
                Sgd<float>.ParallelMinLength = 1 << 16;
                sgdTwo.Step();
                Assert.True(one.Value.AsSpan().SequenceEqual(two.Value.AsSpan()), $"step {step}");
            }
        }
        finally
        {
            Sgd<float>.ParallelMinLength = saved;
            KernelOptions.MaxThreads = threads;
        }
    }
}
