namespace Engine.Tests.Optimizers;

/// <summary>
/// The optimizers' and schedules' contracts beyond the update rule: defaults, argument checks and their messages,
/// the factory's choices, state buffers, the step count. (Written against the survivors of a mutation run.)
/// </summary>
public class OptimizerContractTests
{
    private static Parameter<float> P(int n = 3) => new("weight", 1, n, weightDecay: true);

    [Fact]
    public void FactoryDefaultsAndKinds()
    {
        Assert.Equal((0.01, 0.001, 0.001), (OptimizerFactory.DefaultLearningRate(OptimizerKind.Sgd), OptimizerFactory.DefaultLearningRate(OptimizerKind.Adam), OptimizerFactory.DefaultLearningRate(OptimizerKind.AdamW)));
        Assert.Equal((0.0, 0.0, 0.01), (OptimizerFactory.DefaultWeightDecay(OptimizerKind.Sgd), OptimizerFactory.DefaultWeightDecay(OptimizerKind.Adam), OptimizerFactory.DefaultWeightDecay(OptimizerKind.AdamW)));

        var sgd = Assert.IsType<Sgd<float>>(OptimizerFactory.Create(OptimizerKind.Sgd, [P()], momentum: 0.5, nesterov: true));
        Assert.Equal((0.01, 0.0, 0.5, true), (sgd.LearningRate, sgd.WeightDecay, sgd.Momentum, sgd.Nesterov));
        var adam = Assert.IsType<Adam<float>>(OptimizerFactory.Create(OptimizerKind.Adam, [P()], 0.2, 0.3));
        Assert.Equal((0.2, 0.3, false), (adam.LearningRate, adam.WeightDecay, adam.Decoupled));
        var adamw = Assert.IsType<AdamW<float>>(OptimizerFactory.Create(OptimizerKind.AdamW, [P()]));
        Assert.Equal((0.001, 0.01, true), (adamw.LearningRate, adamw.WeightDecay, adamw.Decoupled)); // torch.optim.AdamW's default
        Assert.Equal("kind", Assert.Throws<ArgumentOutOfRangeException>(() => OptimizerFactory.Create((OptimizerKind)99, [P()])).ParamName);
    }

    [Fact]
    public void FactorySchedules()
    {
        Assert.Equal(["constant", "cosine", "step"], OptimizerFactory.ScheduleNames);
        Assert.Null(OptimizerFactory.CreateSchedule("constant", 30));
        var cosine = Assert.IsType<CosineSchedule>(OptimizerFactory.CreateSchedule("cosine", 30));
        Assert.Equal((30.0, 0.0), (cosine.TotalEpochs, cosine.MinRate));
        Assert.Equal(9, Assert.IsType<StepDecay>(OptimizerFactory.CreateSchedule("step", 29)).StepSize); // a third of the epochs
        Assert.Equal(1, Assert.IsType<StepDecay>(OptimizerFactory.CreateSchedule("step", 2)).StepSize);  // at least 1
        // a warm-up comes first; the cosine then spans the epochs after it
        var warm = Assert.IsType<LinearWarmup>(OptimizerFactory.CreateSchedule("cosine", 30, 5));
        Assert.Equal(5, warm.WarmupEpochs);
        Assert.Equal(25, Assert.IsType<CosineSchedule>(warm.After).TotalEpochs);
        Assert.IsType<ConstantSchedule>(Assert.IsType<LinearWarmup>(OptimizerFactory.CreateSchedule("constant", 30, 2)).After);
        Assert.True(Assert.IsType<CosineSchedule>(Assert.IsType<LinearWarmup>(OptimizerFactory.CreateSchedule("cosine", 3, 5)).After).TotalEpochs > 0);
        Assert.Contains("'linear'", Assert.Throws<ArgumentException>(() => OptimizerFactory.CreateSchedule("linear", 3)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SchedulesByHand()
    {
        Assert.Equal(0.055, new CosineSchedule(10, 0.01).At(0.1, 5), 12);  // min + (base − min)·(1 + cos(π/2))/2
        Assert.Equal(0.01, new CosineSchedule(10, 0.01).At(0.1, 25), 12);  // after the end: the minimum
        Assert.Equal(0.1, new CosineSchedule(10, 0.01).At(0.1, -1), 12);   // before the start: the base
        Assert.Equal(0.1 * 0.25 * 0.25, new StepDecay(3, 0.25).At(0.1, 6.5), 14);
        Assert.Equal(0.1, new StepDecay(3, 0.25).At(0.1, 2.99), 14);
        Assert.Equal(0.03, new LinearWarmup(4).At(0.12, 1), 14);
        Assert.Equal(0.12, new LinearWarmup(4).At(0.12, 7), 14);
    }

    [Fact]
    public void ScheduleArgumentsAreChecked()
    {
        Assert.Equal("stepSize", Assert.Throws<ArgumentOutOfRangeException>(() => new StepDecay(0)).ParamName);
        foreach (double gamma in new[] { 0.0, -0.5, 1.5, double.NaN })
            Assert.Equal("gamma", Assert.Throws<ArgumentOutOfRangeException>(() => new StepDecay(2, gamma)).ParamName);
        Assert.Equal(1.0, new StepDecay(2, 1.0).Gamma);
        foreach (double total in new[] { 0.0, -1, double.NaN, double.PositiveInfinity })
            Assert.Equal("totalEpochs", Assert.Throws<ArgumentOutOfRangeException>(() => new CosineSchedule(total)).ParamName);
        foreach (double min in new[] { -0.1, double.NaN, double.PositiveInfinity })
            Assert.Equal("minRate", Assert.Throws<ArgumentOutOfRangeException>(() => new CosineSchedule(5, min)).ParamName);
        foreach (double warmup in new[] { 0.0, -1, double.NaN, double.PositiveInfinity })
            Assert.Equal("warmupEpochs", Assert.Throws<ArgumentOutOfRangeException>(() => new LinearWarmup(warmup)).ParamName);
    }

    [Fact]
    public void ArgumentChecksNameTheArgument()
    {
        Assert.Equal("parameters", Assert.Throws<ArgumentNullException>(() => new Sgd<float>(null!)).ParamName);
        Assert.Equal("parameters", Assert.Throws<ArgumentNullException>(() => GradientClipping.ClipByGlobalNorm<float>(null!, 1)).ParamName);
        Assert.Equal("maxNorm must be a positive finite number, got 0.",
            Assert.Throws<ArgumentOutOfRangeException>(() => GradientClipping.ClipByGlobalNorm([P()], 0)).Message.Split(" (Parameter")[0]);
        Assert.Equal("momentum must be in [0, 1), got 1.", Assert.Throws<ArgumentOutOfRangeException>(() => new Sgd<float>([P()], momentum: 1)).Message.Split(" (Parameter")[0]);
        Assert.Equal("weightDecay must be a finite number ≥ 0, got -1.", Assert.Throws<ArgumentOutOfRangeException>(() => new Sgd<float>([P()], weightDecay: -1)).Message.Split(" (Parameter")[0]);
        Assert.StartsWith("Nesterov momentum needs momentum > 0.", Assert.Throws<ArgumentException>(() => new Sgd<float>([P()], nesterov: true)).Message, StringComparison.Ordinal);
        var adam = new Adam<float>([P(3)]);
        Assert.Equal("buffers", Assert.Throws<ArgumentNullException>(() => adam.LoadState(null!, 0, 0.1)).ParamName);
        Assert.StartsWith("Adam`1 has 2 state buffers, got 1.", Assert.Throws<ArgumentException>(() => adam.LoadState([new float[3]], 0, 0.1)).Message, StringComparison.Ordinal);
        Assert.StartsWith("State buffer 1 has 3 values, got 2.", Assert.Throws<ArgumentException>(() => adam.LoadState([new float[3], new float[2]], 0, 0.1)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ZeroGradClearsEveryGradient()
    {
        var a = P(3);
        var b = P(5);
        a.Grad.AsSpan().Fill(2);
        b.Grad.AsSpan().Fill(-1);
        new Sgd<float>([a, b]).ZeroGrad();
        Assert.All(a.Grad.AsSpan().ToArray().Concat(b.Grad.AsSpan().ToArray()), g => Assert.Equal(0f, g));
    }

    [Theory]
    [InlineData(0.0, false)]
    [InlineData(0.9, false)]
    [InlineData(0.9, true)]
    public void SgdKeepsAVelocityOnlyWithMomentumAndCountsItsSteps(double momentum, bool nesterov)
    {
        var p = P(4);
        var sgd = new Sgd<float>([p], 0.1, momentum, nesterov, weightDecay: 0.01);
        Assert.Equal(momentum > 0 ? 4 : 0, Assert.Single(sgd.StateBuffers).Length); // what a checkpoint stores
        for (int t = 0; t < 3; t++)
        {
            p.Grad.AsSpan().Fill(1);
            sgd.Step();
        }
        Assert.Equal(3, sgd.StepCount);
    }

    [Fact]
    public void TheTabularRecipeChoosesWeightDecayByTask()
    {
        Assert.Equal(0.1, FitOptions.DefaultWeightDecay(OptimizerKind.AdamW, TaskKind.Classification));
        Assert.Equal(5.0, FitOptions.DefaultWeightDecay(OptimizerKind.AdamW, TaskKind.Regression));
        Assert.Equal(0.0, FitOptions.DefaultWeightDecay(OptimizerKind.Adam, TaskKind.Regression));
        Assert.Equal(0.0, FitOptions.DefaultWeightDecay(OptimizerKind.Sgd, TaskKind.Classification));
    }
}
