namespace Engine.Tests.Tabular;

/// <summary>The warm-up only saves time: it runs with any options and never throws, except for no options at all.</summary>
public class TrainingWarmUpTests
{
    [Fact]
    public void OptionsTheRunWouldRefuseCostNothing()
    {
        TrainingWarmUp.Run(new FitOptions { Hidden = [0], BatchSize = 4 }); // Mlp.Create refuses a width of 0: swallowed
        TrainingWarmUp.Run(new FitOptions { Hidden = [4], BatchSize = 4, Optimizer = OptimizerKind.Sgd, Schedule = "cosine", WarmupEpochs = 3, ClipGradNorm = 1 });
        Assert.Throws<ArgumentNullException>(() => TrainingWarmUp.Run(null!));
    }
}
