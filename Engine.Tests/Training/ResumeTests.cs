namespace Engine.Tests.Training;

/// <summary>
/// A run stopped after any step, saved, loaded and resumed ends bit-identical to one never stopped:
/// same weights, bit for bit, and the same history.
/// </summary>
public sealed class ResumeTests() : TempDirectoryTests("engine-resume-")
{
    private const int Rows = 200, BatchSize = 16, StepsPerEpoch = (Rows + BatchSize - 1) / BatchSize; // 13

    // two Gaussian blobs at (±1, ±1)
    private static Dataset Blobs(int n, ulong seed) => Samples.Blobs(n, seed, center: 1);

    private static Layer<float>[] Layers() => [.. Mlp.Create(2, [16, 8], 2, Activation.LeakyReLU, seed: 4).Layers];

    private static Optimizer<float> Optimizer(string kind, Sequential<float> model) => kind switch
    {
        "sgd" => new Sgd<float>(model.Parameters, 0.05, momentum: 0.9, nesterov: true, weightDecay: 1e-3),
        _ => new Adam<float>(model.Parameters, 0.01, weightDecay: 1e-3),
    };

    private static FitOptions FitOptionsFor(string kind) =>
        kind == "sgd" ? new FitOptions { Optimizer = OptimizerKind.Sgd, Momentum = 0.9, Nesterov = true } : new FitOptions { Optimizer = OptimizerKind.Adam };

    private static TrainingOptions Options => new()
    {
        Task = TaskKind.Classification,
        Epochs = 5,
        BatchSize = BatchSize,
        Seed = 9,
        Schedule = new LinearWarmup(1.5, new CosineSchedule(3.5)), // the rate changes every step
        Patience = 50,                                              // tracks best weights without stopping
        ClipGradNorm = 1.0,
    };

    private static Trainer NewTrainer(Sequential<float> model, string kind) =>
        new(model, new SoftmaxCrossEntropy<float>(), Optimizer(kind, model), Options);

    [Theory]
    [InlineData("sgd", StepsPerEpoch + 5)]      // mid-epoch
    [InlineData("sgd", 2 * StepsPerEpoch)]      // at an epoch boundary
    [InlineData("adam", 3 * StepsPerEpoch + 1)] // mid-epoch
    [InlineData("adam", StepsPerEpoch)]         // at an epoch boundary
    [InlineData("adam", 1)]                     // after the very first step
    public void StoppedSavedAndResumedRunIsBitIdentical(string kind, int stopAfter)
    {
        var train = Blobs(Rows, 1);
        var validation = Blobs(60, 2);

        var uninterrupted = new Sequential<float>(Layers());
        var expected = NewTrainer(uninterrupted, kind).Fit(train, validation);
        Assert.Equal(StopReason.Completed, expected.StopReason);

        using var cancel = new CancellationTokenSource();
        var stopped = new Sequential<float>([.. Layers(), new Tripwire(stopAfter, cancel)]);
        var first = NewTrainer(stopped, kind);
        var partial = first.Fit(train, validation, cancel.Token);
        Assert.Equal(StopReason.Cancelled, partial.StopReason);
        var state = first.CaptureState();
        Assert.Equal(stopAfter / StepsPerEpoch, state.Progress.Epoch);
        Assert.Equal(stopAfter % StepsPerEpoch, state.Progress.Step);

        // Through the file and back, into a fresh model and optimizer whose own weights are different.
        string path = Path.Combine(Dir, "run.ckpt");
        var layers = Mlp.Create(2, [16, 8], 2, Activation.LeakyReLU).Layers.Select(LayerSpec.Of).ToArray();
        var metadata = new ModelMetadata(TaskKind.Classification, ["a", "b"], "c", ["0", "1"]);
        CheckpointFile.Save(path, new Checkpoint(layers, metadata, FitOptionsFor(kind), state));
        var loaded = CheckpointFile.Load(path);

        var resumed = new Sequential<float>(Layers());
        resumed.Initialize(12345);
        var history = NewTrainer(resumed, kind).Resume(loaded.State, train, validation);

        Assert.Equal(StopReason.Completed, history.StopReason);
        for (int i = 0; i < uninterrupted.Parameters.Count; i++)
        {
            var want = uninterrupted.Parameters[i].Value.AsSpan();
            var got = resumed.Parameters[i].Value.AsSpan();
            for (int j = 0; j < want.Length; j++)
                Assert.Equal(BitConverter.SingleToInt32Bits(want[j]), BitConverter.SingleToInt32Bits(got[j]));
        }
        Assert.Equal(Strip(expected), Strip(history));
        Assert.Equal(expected.BestEpoch, history.BestEpoch);
    }

    // Everything but the wall times.
    private static EpochResult[] Strip(TrainingHistory h) => [.. h.Epochs.Select(e => e with { Seconds = 0 })];

    [Fact]
    public void ResumeRejectsAStateOfAnotherShape()
    {
        var model = new Sequential<float>(Layers());
        var trainer = NewTrainer(model, "sgd");
        trainer.Fit(Blobs(Rows, 1), Blobs(60, 2), new CancellationToken(canceled: true));
        var state = trainer.CaptureState();
        var other = Mlp.Create(2, [15, 8], 2);
        var ex = Assert.Throws<ArgumentException>(() =>
            new Trainer(other, new SoftmaxCrossEntropy<float>(), new Sgd<float>(other.Parameters, 0.1, momentum: 0.9), Options).Resume(state, Blobs(Rows, 1), Blobs(60, 2)));
        Assert.Contains("tensor 0", ex.Message);
    }

    [Fact]
    public void TabularModelCancelledAndResumedFromItsCheckpointMatchesAnUninterruptedFit()
    {
        var data = CsvDataset.Load(TestData.DataFile("iris.csv"));
        var options = new FitOptions { Seed = 3, Epochs = 8, Patience = 20, Schedule = "cosine", CheckpointEvery = 3 };
        var expected = TabularModel.Fit(data, options);

        using var cancel = new CancellationTokenSource();
        var written = new List<Checkpoint>();
        var stopped = TabularModel.Fit(data, options, epochCompleted: e =>
        {
            if (e.Epoch == 5)
                cancel.Cancel();
        }, cancellation: cancel.Token, checkpoint: written.Add);
        Assert.Equal(StopReason.Cancelled, stopped.History.StopReason);
        Assert.Equal(new[] { 3 }, written.Select(c => c.State.Progress.Epoch));
        Assert.NotNull(stopped.Checkpoint);
        Assert.Equal(5, stopped.Checkpoint.State.Progress.Epoch);

        string path = Path.Combine(Dir, "iris.ckpt");
        CheckpointFile.Save(path, stopped.Checkpoint);
        var resumed = TabularModel.Resume(CheckpointFile.Load(path), data);

        Assert.Equal(StopReason.Completed, resumed.History.StopReason);
        Assert.Null(resumed.Checkpoint);
        for (int i = 0; i < expected.Model.Network.Parameters.Count; i++)
            Assert.True(expected.Model.Network.Parameters[i].Value.AsSpan().SequenceEqual(resumed.Model.Network.Parameters[i].Value.AsSpan()), $"parameter {i}");
        Assert.Equal(Strip(expected.History), Strip(resumed.History));
        Assert.Equal(expected.Test, resumed.Test);

        // Other rows are refused rather than silently trained on.
        var ex = Assert.Throws<IncompatibleDataException>(() => TabularModel.Resume(CheckpointFile.Load(path), CsvDataset.Load(TestData.DataFile("wine.csv"))));
        Assert.Contains("not the rows", ex.Message);
    }
}
