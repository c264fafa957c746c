namespace Engine.Tests.Tabular;

/// <summary>
/// A checkpoint whose progress or options cannot be a real run's is refused on load, each inconsistency on its own
/// (a file written through <see cref="CheckpointFile.Save"/>, which does not judge the progress); and a checkpoint
/// written before the default weight decay depended on the task resumes with the decay its run used.
/// </summary>
public sealed class CheckpointProgressTests() : TempDirectoryTests("engine-ckpt-progress-")
{
    private static Checkpoint Sample(Action<TrainingProgress>? change = null, FitOptions? options = null)
    {
        var model = Mlp.Create(4, [3], 3, seed: 1);
        var optimizer = new Sgd<float>(model.Parameters, 0.1, momentum: 0.9);
        var progress = new TrainingProgress { LearningRate = 0.1, BaseLearningRate = 0.1 };
        change?.Invoke(progress);
        var state = new TrainingState
        {
            Progress = progress,
            Weights = [.. model.Parameters.Select(p => p.Value.AsSpan().ToArray())],
            OptimizerBuffers = [.. optimizer.StateBuffers.Select(b => (float[])b.Clone())],
        };
        return new Checkpoint([.. model.Layers.Select(LayerSpec.Of)], Samples.Metadata(4, 3),
            options ?? new FitOptions { Optimizer = OptimizerKind.Sgd, Hidden = [3], WeightDecay = 0 }, state);
    }

    private string Saved(Checkpoint c)
    {
        string path = Path.Combine(Dir, $"{Guid.NewGuid():N}.ckpt");
        CheckpointFile.Save(path, c);
        return path;
    }

    [Fact]
    public void AConsistentProgressLoads()
    {
        var c = CheckpointFile.Load(Saved(Sample(p => p.OptimizerSteps = 0)));
        Assert.Equal(0, c.State.Progress.Epoch);
        CheckpointFile.Load(Saved(Sample(p => { p.LearningRate = 0; p.BaseLearningRate = 0; }))); // a rate of 0 is a rate
        CheckpointFile.Load(Saved(Sample(options: new FitOptions { Optimizer = OptimizerKind.Sgd, Hidden = [3], WeightDecay = 0, Epochs = 1, BatchSize = 1 })));
    }

    public static TheoryData<string> Inconsistent => new()
    {
        "epoch -1", "step -1", "epoch 2 without history", "optimizer steps -1", "loss sum NaN", "rate -0.1", "rate ∞",
        "base rate -0.1", "base rate NaN", "a null epoch", "0 epochs", "batch size 0",
    };

    [Theory]
    [MemberData(nameof(Inconsistent))]
    public void AnInconsistentProgressIsRefused(string what)
    {
        var options = new FitOptions { Optimizer = OptimizerKind.Sgd, Hidden = [3], WeightDecay = 0 };
        Checkpoint c = what switch
        {
            "epoch -1" => Sample(p => p.Epoch = -1),
            "step -1" => Sample(p => p.Step = -1),
            "epoch 2 without history" => Sample(p => p.Epoch = 2),
            "optimizer steps -1" => Sample(p => p.OptimizerSteps = -1),
            "loss sum NaN" => Sample(p => p.LossSum = double.NaN),
            "rate -0.1" => Sample(p => p.LearningRate = -0.1),
            "rate ∞" => Sample(p => p.LearningRate = double.PositiveInfinity),
            "base rate -0.1" => Sample(p => p.BaseLearningRate = -0.1),
            "base rate NaN" => Sample(p => p.BaseLearningRate = double.NaN),
            "a null epoch" => Sample(p => { p.Epoch = 1; p.Epochs = [null!]; }),
            "0 epochs" => Sample(options: options with { Epochs = 0 }),
            _ => Sample(options: options with { BatchSize = 0 }),
        };
        string path = Saved(c);
        var e = Assert.Throws<ModelFormatException>(() => CheckpointFile.Load(path));
        Assert.Contains("progress is inconsistent (epoch ", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(OptimizerKind.AdamW, 1.0)]
    [InlineData(OptimizerKind.Adam, 0.0)]
    [InlineData(OptimizerKind.Sgd, 0.0)]
    public void AnOldCheckpointsDefaultWeightDecayIsTheOneItsRunUsed(OptimizerKind optimizer, double decay)
    {
        // Engine 0.1 saved null for "the default", then 1.0 for AdamW and 0 otherwise; a checkpoint saying so is kept as is
        var model = Mlp.Create(4, [3], 3, seed: 1);
        var opt = TabularModelOptimizer(model, optimizer);
        var c = Sample(options: new FitOptions { Optimizer = optimizer, Hidden = [3], WeightDecay = null });
        c = c with { State = new TrainingState { Progress = c.State.Progress, Weights = c.State.Weights, OptimizerBuffers = [.. opt.StateBuffers.Select(b => (float[])b.Clone())] } };
        Assert.Equal(decay, CheckpointFile.Load(Saved(c)).Options.WeightDecay);
        var given = c with { Options = c.Options with { WeightDecay = 0.25 } };
        Assert.Equal(0.25, CheckpointFile.Load(Saved(given)).Options.WeightDecay);
    }

    private static Optimizer<float> TabularModelOptimizer(Sequential<float> model, OptimizerKind kind) =>
        OptimizerFactory.Create(kind, model.Parameters, null, 0, 0.9, false);
}
