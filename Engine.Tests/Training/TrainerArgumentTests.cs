namespace Engine.Tests.Training;

/// <summary>
/// What the trainer refuses, and says why: options out of range (at the trainer's construction too), a state to
/// resume from that does not fit the model or the data, and calls out of order. Each boundary value is accepted.
/// </summary>
public class TrainerArgumentTests
{
    private static readonly Dataset Data = Samples.Blobs(35, 1, center: 1); // batches of 10: 4 steps an epoch

    private static TrainingOptions Options => new() { Task = TaskKind.Classification, Epochs = 2, BatchSize = 10, Seed = 3 };

    private static Trainer NewTrainer(Sequential<float> model, TrainingOptions? options = null) =>
        new(model, new SoftmaxCrossEntropy<float>(), new Sgd<float>(model.Parameters, 0.1, momentum: 0.9), options ?? Options);

    [Fact]
    public void OptionsAreCheckedWithTheirNameAndValue()
    {
        static string Refused(TrainingOptions o) => Assert.Throws<ArgumentOutOfRangeException>(o.Validate).Message;
        var ok = new TrainingOptions { Task = TaskKind.Classification };
        Assert.StartsWith("Epochs must be at least 1, got 0.", Refused(ok with { Epochs = 0 }), StringComparison.Ordinal);
        Assert.StartsWith("BatchSize must be at least 1, got 0.", Refused(ok with { BatchSize = 0 }), StringComparison.Ordinal);
        Assert.StartsWith("Patience must be at least 1, got 0.", Refused(ok with { Patience = 0 }), StringComparison.Ordinal);
        Assert.StartsWith("CheckpointEvery must be at least 1, got 0.", Refused(ok with { CheckpointEvery = 0 }), StringComparison.Ordinal);
        foreach (double bad in new[] { 0, -1, double.NaN, double.PositiveInfinity })
            Assert.StartsWith("ClipGradNorm must be a positive finite number", Refused(ok with { ClipGradNorm = bad }), StringComparison.Ordinal);
        // the smallest values allowed
        (ok with { Epochs = 1, BatchSize = 1, Patience = 1, CheckpointEvery = 1, ClipGradNorm = double.Epsilon }).Validate();
    }

    [Fact]
    public void TheTrainerChecksItsOptionsWhenBuilt()
    {
        var model = Mlp.Create(2, [4], 2, seed: 1);
        Assert.Throws<ArgumentOutOfRangeException>(() => NewTrainer(model, Options with { BatchSize = 0 }));
    }

    [Fact]
    public void CallsOutOfOrderOrWithoutDataAreRefused()
    {
        var model = Mlp.Create(2, [4], 2, seed: 1);
        var trainer = NewTrainer(model);
        var ex = Assert.Throws<InvalidOperationException>(trainer.CaptureState);
        Assert.Contains("call Fit or Resume first", ex.Message);
        Assert.Equal("train", Assert.Throws<ArgumentNullException>(() => trainer.Fit(null!)).ParamName);
        Assert.Throws<ArgumentNullException>(() => trainer.Resume(null!, Data));
        var patient = NewTrainer(model, Options with { Patience = 2 });
        Assert.StartsWith("Early stopping (Patience) needs a validation set.", Assert.Throws<ArgumentException>(() => patient.Fit(Data)).Message, StringComparison.Ordinal);
    }

    /// <summary>A genuine state: the run cancelled before its first step.</summary>
    private static TrainingState Captured()
    {
        var trainer = NewTrainer(Mlp.Create(2, [4], 2, seed: 1), Options with { Patience = 5 });
        trainer.Fit(Data, Data, new CancellationToken(canceled: true));
        var state = trainer.CaptureState();
        Assert.Equal((0, 0), (state.Progress.Epoch, state.Progress.Step));
        return state;
    }

    private static TrainingState With(TrainingState s, Action<TrainingProgress>? progress = null, float[][]? weights = null, float[][]? best = null)
    {
        var p = s.Progress.Clone();
        progress?.Invoke(p);
        return new TrainingState { Progress = p, Weights = weights ?? s.Weights, OptimizerBuffers = s.OptimizerBuffers, BestWeights = best ?? s.BestWeights };
    }

    private static string ResumeRefuses(TrainingState state) =>
        Assert.Throws<ArgumentException>(() => NewTrainer(Mlp.Create(2, [4], 2, seed: 1), Options with { Patience = 5 }).Resume(state, Data, Data)).Message;

    [Fact]
    public void AStateOfAnotherShapeIsRefusedNamingTheTensor()
    {
        var s = Captured();
        Assert.StartsWith("The state has 3 weights tensors but the model has 4 parameters.", ResumeRefuses(With(s, weights: s.Weights[..3])), StringComparison.Ordinal);
        Assert.StartsWith("The state's weights tensor 1 has 3 values but the model's has 4.",
            ResumeRefuses(With(s, weights: [s.Weights[0], new float[3], s.Weights[2], s.Weights[3]])), StringComparison.Ordinal);
        Assert.StartsWith("The state has 1 best weights tensors but the model has 4 parameters.", ResumeRefuses(With(s, best: [s.Weights[0]])), StringComparison.Ordinal);
        Assert.StartsWith("The state's best weights tensor 3 has 1 values but the model's has 2.",
            ResumeRefuses(With(s, best: [s.Weights[0], s.Weights[1], s.Weights[2], new float[1]])), StringComparison.Ordinal);
    }

    [Fact]
    public void AStateWhosePositionIsImpossibleIsRefused()
    {
        var s = Captured();
        Assert.StartsWith("The state is at epoch 1, step 0 with 0 epochs of history.", ResumeRefuses(With(s, p => p.Epoch = 1)), StringComparison.Ordinal);
        Assert.StartsWith("The state is at epoch 0, step -1 with 0 epochs of history.", ResumeRefuses(With(s, p => p.Step = -1)), StringComparison.Ordinal);
        Assert.StartsWith("The state is at epoch -1, step 0", ResumeRefuses(With(s, p => p.Epoch = -1)), StringComparison.Ordinal);
        Assert.StartsWith("The state is at step 5 of an epoch that has 4 steps", ResumeRefuses(With(s, p => p.Step = 5)), StringComparison.Ordinal);
    }

    [Fact]
    public void AStateAtTheLastStepOfAnEpochFinishesIt()
    {
        // Step 4 of 4: every batch of epoch 1 is done, the epoch's end (validation, history) is not.
        var history = NewTrainer(Mlp.Create(2, [4], 2, seed: 1), Options with { Patience = 5 }).Resume(With(Captured(), p => p.Step = 4), Data, Data);
        Assert.Equal(StopReason.Completed, history.StopReason);
        Assert.Equal([1, 2], history.Epochs.Select(e => e.Epoch));
    }
}
