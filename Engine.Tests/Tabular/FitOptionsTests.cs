namespace Engine.Tests.Tabular;

/// <summary>
/// <see cref="FitOptions.Validate"/> names the first option that cannot work, with its value as given and what it
/// must be; the values at each boundary are accepted. And the weight decay a null option stands for.
/// </summary>
public class FitOptionsTests
{
    private static readonly FitOptions Ok = new();

    private static readonly (string Message, FitOptions Options, string Option)[] Refused =
    [
        ("Hidden must list positive layer widths, got nothing.", Ok with { Hidden = null! }, "Hidden"),
        ("Hidden must list positive layer widths, got 64,0.", Ok with { Hidden = [64, 0] }, "Hidden"),
        ("NegativeSlope must be a finite number, got NaN.", Ok with { NegativeSlope = double.NaN }, "NegativeSlope"),
        ("NegativeSlope must be a finite number, got -infinity.", Ok with { NegativeSlope = double.NegativeInfinity }, "NegativeSlope"),
        ("Epochs must be at least 1, got 0.", Ok with { Epochs = 0 }, "Epochs"),
        ("BatchSize must be at least 1, got 0.", Ok with { BatchSize = 0 }, "BatchSize"),
        ("LearningRate must be a positive number, got 0.", Ok with { LearningRate = 0 }, "LearningRate"),
        ("LearningRate must be a positive number, got infinity.", Ok with { LearningRate = double.PositiveInfinity }, "LearningRate"),
        ("Momentum must be in [0, 1), got -0.1.", Ok with { Momentum = -0.1 }, "Momentum"),
        ("Momentum must be in [0, 1), got 1.", Ok with { Momentum = 1 }, "Momentum"),
        ("Momentum must be above 0 for Nesterov momentum, got 0.", Ok with { Optimizer = OptimizerKind.Sgd, Nesterov = true, Momentum = 0 }, "Momentum"),
        ("WeightDecay must be a number ≥ 0, got -0.5.", Ok with { WeightDecay = -0.5 }, "WeightDecay"),
        ("WeightDecay must be a number ≥ 0, got infinity.", Ok with { WeightDecay = double.PositiveInfinity }, "WeightDecay"),
        ("Schedule must be one of constant, cosine, step, got linear.", Ok with { Schedule = "linear" }, "Schedule"),
        ("WarmupEpochs must be a number of epochs ≥ 0, got -1.", Ok with { WarmupEpochs = -1 }, "WarmupEpochs"),
        ("WarmupEpochs must be a number of epochs ≥ 0, got infinity.", Ok with { WarmupEpochs = double.PositiveInfinity }, "WarmupEpochs"),
        ("TestFraction must be in (0, 1), got 0.", Ok with { TestFraction = 0 }, "TestFraction"),
        ("TestFraction must be in (0, 1), got 1.", Ok with { TestFraction = 1 }, "TestFraction"),
        ("ValidationFraction must be in [0, 1), got -0.1.", Ok with { ValidationFraction = -0.1 }, "ValidationFraction"),
        ("ValidationFraction must be in [0, 1), got 1.", Ok with { ValidationFraction = 1 }, "ValidationFraction"),
        ("Patience must be at least 1, got 0.", Ok with { Patience = 0 }, "Patience"),
        ("ValidationFraction must be above 0 for early stopping, got 0.", Ok with { Patience = 3, ValidationFraction = 0 }, "ValidationFraction"),
        ("MinLevelCount must be at least 1, got 0.", Ok with { MinLevelCount = 0 }, "MinLevelCount"),
        ("Scaler must be one of standard, minmax, none, got robust.", Ok with { Scaler = "robust" }, "Scaler"),
        ("LabelSmoothing must be in [0, 1), got -0.1.", Ok with { LabelSmoothing = -0.1 }, "LabelSmoothing"),
        ("LabelSmoothing must be in [0, 1), got 1.", Ok with { LabelSmoothing = 1 }, "LabelSmoothing"),
        ("ClipGradNorm must be a positive number, got 0.", Ok with { ClipGradNorm = 0 }, "ClipGradNorm"),
        ("ClipGradNorm must be a positive number, got infinity.", Ok with { ClipGradNorm = double.PositiveInfinity }, "ClipGradNorm"),
        ("CheckpointEvery must be at least 1, got 0.", Ok with { CheckpointEvery = 0 }, "CheckpointEvery"),
    ];

    [Fact]
    public void AValueThatCannotWorkIsNamedWithWhatItMustBe()
    {
        foreach (var (message, options, option) in Refused)
        {
            var ex = Assert.Throws<InvalidOptionException>(options.Validate);
            Assert.Equal(message, ex.Message);
            Assert.Equal(option, ex.Option);
        }
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(-1e-300)]
    public void NaNAndNegativeRatesAndFractionsAreRefused(double bad)
    {
        foreach (var options in new[]
        {
            Ok with { LearningRate = bad }, Ok with { Momentum = bad }, Ok with { WeightDecay = bad }, Ok with { WarmupEpochs = bad },
            Ok with { TestFraction = bad }, Ok with { ValidationFraction = bad }, Ok with { LabelSmoothing = bad }, Ok with { ClipGradNorm = bad },
        })
        {
            Assert.Throws<InvalidOptionException>(options.Validate);
        }
    }

    [Fact]
    public void TheBoundaryValuesAreAccepted()
    {
        Ok.Validate();
        (Ok with
        {
            Hidden = [1],
            NegativeSlope = -5,
            Epochs = 1,
            BatchSize = 1,
            LearningRate = double.Epsilon,
            Momentum = 0,
            WeightDecay = 0,
            WarmupEpochs = 0,
            TestFraction = 1e-9,
            ValidationFraction = 0,
            MinLevelCount = 1,
            LabelSmoothing = 0,
            ClipGradNorm = double.Epsilon,
            CheckpointEvery = 1,
        }).Validate();
        (Ok with { Hidden = [], Momentum = 0.999999, TestFraction = 0.999999, ValidationFraction = 0.999999, LabelSmoothing = 0.999999, Patience = 1 }).Validate();
        (Ok with { Optimizer = OptimizerKind.AdamW, Nesterov = true, Momentum = 0 }).Validate(); // Nesterov only matters to SGD
        (Ok with { Optimizer = OptimizerKind.Sgd, Nesterov = true, Momentum = 0.5 }).Validate();
        foreach (string schedule in OptimizerFactory.ScheduleNames)
            (Ok with { Schedule = schedule }).Validate();
        foreach (string scaler in FitOptions.ScalerNames)
            (Ok with { Scaler = scaler }).Validate();
    }

    [Fact]
    public void WeightDecayDefaultsToStrongDecoupledDecayForAdamWOnly()
    {
        Assert.Equal(0.1, FitOptions.DefaultWeightDecay(OptimizerKind.AdamW, TaskKind.Classification));
        Assert.Equal(5, FitOptions.DefaultWeightDecay(OptimizerKind.AdamW, TaskKind.Regression));
        foreach (var task in new[] { TaskKind.Classification, TaskKind.Regression })
        {
            Assert.Equal(0, FitOptions.DefaultWeightDecay(OptimizerKind.Adam, task));
            Assert.Equal(0, FitOptions.DefaultWeightDecay(OptimizerKind.Sgd, task));
        }
    }
}
