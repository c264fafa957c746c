namespace Engine.Tests.Training;

/// <summary>
/// Early stopping's state — the best validation loss, its epoch, the epochs since, and the best weights — survives a
/// stop and resume (in memory and through a checkpoint file), and <see cref="TrainingOptions.RestoreBestWeights"/>
/// decides which weights the model ends with. The validation labels are the training labels flipped, so the
/// validation loss rises as training succeeds: the best epoch is early and every later epoch is worse, which makes a
/// lost best loss (the next epoch would count as an improvement) or lost best weights (nothing to restore) visible.
/// </summary>
public sealed class EarlyStoppingResumeTests() : TempDirectoryTests("engine-es-")
{
    private const int Patience = 3;

    private static readonly Dataset Train = Samples.Blobs(200, 1, center: 1.5);
    private static readonly Dataset Flipped = FlippedBlobs();

    private static Dataset FlippedBlobs()
    {
        var d = Samples.Blobs(100, 2, center: 1.5);
        for (int i = 0; i < d.Count; i++)
            d.Targets[i, 0] = 1 - d.Targets[i, 0];
        return d;
    }

    private static (Sequential<float> Model, Trainer Trainer) NewRun(bool restoreBest = true)
    {
        var model = Mlp.Create(2, [16], 2, seed: 1);
        var trainer = new Trainer(model, new SoftmaxCrossEntropy<float>(), new Adam<float>(model.Parameters, 0.01),
            new TrainingOptions { Task = TaskKind.Classification, Epochs = 40, BatchSize = 16, Seed = 5, Patience = Patience, RestoreBestWeights = restoreBest });
        return (model, trainer);
    }

    private static float[][] WeightsOf(Sequential<float> model) => [.. model.Parameters.Select(p => p.Value.AsSpan().ToArray())];

    /// <summary>An uninterrupted run, with the weights after every epoch.</summary>
    private static (TrainingHistory History, float[][] Final, List<float[][]> PerEpoch) Uninterrupted(bool restoreBest = true)
    {
        var (model, trainer) = NewRun(restoreBest);
        var perEpoch = new List<float[][]>();
        trainer.EpochCompleted = _ => perEpoch.Add(WeightsOf(model));
        var history = trainer.Fit(Train, Flipped);
        return (history, WeightsOf(model), perEpoch);
    }

    /// <summary>The same run cancelled in the first step after epoch <paramref name="stopAfterEpoch"/>, its state passed through <paramref name="carry"/>, and resumed in a new trainer.</summary>
    private static (TrainingHistory History, float[][] Final, TrainingState Stopped) StoppedAndResumed(int stopAfterEpoch, Func<TrainingState, TrainingState> carry, bool restoreBest = true)
    {
        var (model, trainer) = NewRun(restoreBest);
        using var cancel = new CancellationTokenSource();
        trainer.EpochCompleted = e =>
        {
            if (e.Epoch == stopAfterEpoch)
                cancel.Cancel();
        };
        Assert.Equal(StopReason.Cancelled, trainer.Fit(Train, Flipped, cancel.Token).StopReason);
        var stopped = carry(trainer.CaptureState());
        var (fresh, resumed) = NewRun(restoreBest);
        var history = resumed.Resume(stopped, Train, Flipped);
        return (history, WeightsOf(fresh), stopped);
    }

    private static void AssertSameRun(TrainingHistory expected, TrainingHistory actual)
    {
        Assert.Equal(expected.StopReason, actual.StopReason);
        Assert.Equal(expected.BestEpoch, actual.BestEpoch);
        Assert.Equal(expected.Epochs.Select(e => (e.Epoch, e.TrainLoss, e.Validation, e.TrainAccuracy)), actual.Epochs.Select(e => (e.Epoch, e.TrainLoss, e.Validation, e.TrainAccuracy)));
    }

    private static void AssertSameWeights(float[][] expected, float[][] actual, string what)
    {
        for (int i = 0; i < expected.Length; i++)
            Assert.True(expected[i].AsSpan().SequenceEqual(actual[i]), $"{what}: parameter {i} differs");
    }

    [Fact]
    public void TheScenarioHasAnEarlyBestAndStopsPatienceEpochsLater()
    {
        var (history, final, perEpoch) = Uninterrupted();
        Assert.Equal(StopReason.EarlyStopped, history.StopReason);
        int best = history.Epochs.MinBy(e => e.Validation!.Loss)!.Epoch;
        Assert.Equal(best, history.BestEpoch);
        Assert.Equal(best + Patience, history.Epochs.Count);
        Assert.True(best + 1 < history.Epochs.Count - 1, $"best epoch {best}: too late to stop between it and the end");
        AssertSameWeights(perEpoch[best - 1], final, "restored weights");
    }

    [Fact]
    public void AStopAfterTheBestEpochAndAResumeEndAsTheUninterruptedRun()
    {
        var (expected, expectedWeights, _) = Uninterrupted();
        int best = expected.BestEpoch;
        // stop after the best epoch and one worse one: the best loss, its weights and the count of worse epochs must all carry over
        var (history, weights, stopped) = StoppedAndResumed(best + 1, s => s);
        Assert.Equal(best, stopped.Progress.BestEpoch);
        Assert.Equal(1, stopped.Progress.EpochsSinceBest);
        Assert.Equal(expected.Epochs[best - 1].Validation!.Loss, stopped.Progress.BestLoss);
        Assert.NotNull(stopped.BestWeights);
        AssertSameRun(expected, history);
        AssertSameWeights(expectedWeights, weights, "final weights");
    }

    [Fact]
    public void TheStateSurvivesACheckpointFile()
    {
        var (expected, expectedWeights, _) = Uninterrupted();
        string path = Path.Combine(Dir, "run.ckpt");
        var metadata = new ModelMetadata(TaskKind.Classification, ["a", "b"], "c", ["0", "1"]);
        var layers = Mlp.Create(2, [16], 2).Layers.Select(LayerSpec.Of).ToArray();
        var (history, weights, _) = StoppedAndResumed(expected.BestEpoch + 2, s =>
        {
            CheckpointFile.Save(path, new Checkpoint(layers, metadata, new FitOptions { Optimizer = OptimizerKind.Adam }, s));
            return CheckpointFile.Load(path).State;
        });
        AssertSameRun(expected, history);
        AssertSameWeights(expectedWeights, weights, "final weights");
    }

    [Fact]
    public void WithoutRestoreBestWeightsTheModelEndsWithItsLastEpoch()
    {
        var (history, final, perEpoch) = Uninterrupted(restoreBest: false);
        Assert.Equal(StopReason.EarlyStopped, history.StopReason);
        int last = history.Epochs.Count;
        Assert.Equal(last, history.BestEpoch); // the epoch whose weights the model ends with
        AssertSameWeights(perEpoch[last - 1], final, "final weights");
        int best = history.Epochs.MinBy(e => e.Validation!.Loss)!.Epoch;
        Assert.NotEqual(best, last);
        Assert.False(perEpoch[best - 1][0].AsSpan().SequenceEqual(final[0]));

        // and the same after a resume
        var (resumed, resumedFinal, _) = StoppedAndResumed(best + 1, s => s, restoreBest: false);
        AssertSameRun(history, resumed);
        AssertSameWeights(final, resumedFinal, "final weights after a resume");
    }
}
