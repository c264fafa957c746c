namespace Engine.Tests.Training;

public class TrainerTests
{
    // two Gaussian blobs at (±1.5, ±1.5): easy to separate
    private static Dataset Blobs(int n, ulong seed) => Samples.Blobs(n, seed, center: 1.5);

    private static (Sequential<float> Model, TrainingHistory History) Train(ulong seed, TrainingOptions options, double lr = 0.05, Dataset? validation = null)
    {
        var model = Mlp.Create(2, [16], 2, seed: seed);
        var trainer = new Trainer(model, new SoftmaxCrossEntropy<float>(), new Sgd<float>(model.Parameters, lr, momentum: 0.9), options);
        return (model, trainer.Fit(Blobs(200, 1), validation));
    }

    [Fact]
    public void LearnsAndReportsEveryEpoch()
    {
        var reported = new List<EpochResult>();
        var model = Mlp.Create(2, [16], 2, seed: 1);
        var trainer = new Trainer(model, new SoftmaxCrossEntropy<float>(), new Sgd<float>(model.Parameters, 0.05, momentum: 0.9),
            new TrainingOptions { Task = TaskKind.Classification, Epochs = 5, BatchSize = 16, Seed = 1 }) { EpochCompleted = reported.Add };
        var history = trainer.Fit(Blobs(200, 1), Blobs(100, 2));
        Assert.Equal(StopReason.Completed, history.StopReason);
        Assert.Equal(5, reported.Count);
        Assert.True(history.Epochs[^1].TrainLoss < history.Epochs[0].TrainLoss);
        Assert.True(history.Epochs[^1].Validation!.Accuracy > 0.9);
        Assert.InRange(history.Epochs[^1].TrainAccuracy!.Value, 0.9, 1.0);
        Assert.True(history.Epochs[^1].TrainAccuracy > history.Epochs[0].TrainAccuracy || history.Epochs[0].TrainAccuracy > 0.95);
    }

    [Fact]
    public void DeadUnitsAreRecordedPerEpochOnTheProbe()
    {
        var model = Mlp.Create(2, [8, 6], 2, seed: 1);
        var first = (Dense<float>)model.Layers[0];
        var dense = (Dense<float>)model.Layers[2];
        var probe = Blobs(50, 3).Features;
        var trainer = new Trainer(model, new SoftmaxCrossEntropy<float>(), new Sgd<float>(model.Parameters, 0.0),
            new TrainingOptions { Task = TaskKind.Classification, Epochs = 2, BatchSize = 16, DeadUnitProbe = probe });
        dense.Bias.Value.AsSpan().Fill(-1000f); // the second hidden layer can never fire; lr 0 keeps it so
        first.Bias.Value[0, 3] = -1000f;        // nor can unit 3 of the first
        first.Bias.Value[0, 5] = 50f;           // while unit 5 always fires
        // the first layer's dead units by hand: w·x + b never positive on any probe row
        int dead = Enumerable.Range(0, 8).Count(o => Enumerable.Range(0, probe.Rows)
            .All(i => (double)first.Weight.Value[o, 0] * probe[i, 0] + (double)first.Weight.Value[o, 1] * probe[i, 1] + first.Bias.Value[0, o] <= 0));
        Assert.InRange(dead, 1, 7);
        var history = trainer.Fit(Blobs(40, 1));
        foreach (var e in history.Epochs)
        {
            Assert.Equal(2, e.DeadFractions!.Count); // one per ReLU layer
            Assert.Equal(1.0, e.DeadFractions[1]);
            Assert.Equal(dead / 8.0, e.DeadFractions[0]);
        }
    }

    [Fact]
    public void SameSeedGivesBitIdenticalWeights()
    {
        var options = new TrainingOptions { Task = TaskKind.Classification, Epochs = 3, BatchSize = 7, Seed = 5 };
        var (a, _) = Train(1, options);
        var (b, _) = Train(1, options);
        var (c, _) = Train(1, options with { Seed = 6 });
        for (int i = 0; i < a.Parameters.Count; i++)
            Assert.True(a.Parameters[i].Value.AsSpan().SequenceEqual(b.Parameters[i].Value.AsSpan()));
        Assert.False(a.Parameters[0].Value.AsSpan().SequenceEqual(c.Parameters[0].Value.AsSpan()));
    }

    [Fact]
    public void DivergingRunStopsNamingEpochAndStepAndKeepsFiniteWeights()
    {
        var (model, history) = Train(1, new TrainingOptions { Task = TaskKind.Classification, Epochs = 20, BatchSize = 8 }, lr: 1e30);
        Assert.Equal(StopReason.Diverged, history.StopReason);
        Assert.Matches(@"epoch \d+ at step \d+", history.Message);
        foreach (var p in model.Parameters)
        {
            foreach (float v in p.Value.AsSpan())
                Assert.True(float.IsFinite(v));
        }
    }

    [Fact]
    public void EarlyStoppingRestoresTheBestEpoch()
    {
        // Validation labels are the opposite of training labels: validation loss rises as training succeeds.
        var train = Blobs(200, 1);
        var flipped = Blobs(100, 2);
        for (int i = 0; i < flipped.Count; i++)
            flipped.Targets[i, 0] = 1 - flipped.Targets[i, 0];
        var model = Mlp.Create(2, [16], 2, seed: 1);
        var trainer = new Trainer(model, new SoftmaxCrossEntropy<float>(), new Sgd<float>(model.Parameters, 0.05, momentum: 0.9),
            new TrainingOptions { Task = TaskKind.Classification, Epochs = 50, BatchSize = 16, Patience = 3 });
        var history = trainer.Fit(train, flipped);
        Assert.Equal(StopReason.EarlyStopped, history.StopReason);
        Assert.True(history.Epochs.Count < 50);
        int best = history.Epochs.MinBy(e => e.Validation!.Loss)!.Epoch;
        Assert.Equal(best, history.BestEpoch);
        var restored = Evaluator.Evaluate(model, new SoftmaxCrossEntropy<float>(), flipped);
        Assert.Equal(history.Epochs[best - 1].Validation!.Loss, restored.Loss, 6);
    }

    [Fact]
    public void TrainingStepAllocatesNothingAfterTheFirstBatch()
    {
        var model = Mlp.Create(20, [32, 16], 3, Activation.PReLU, seed: 1);
        var loss = new SoftmaxCrossEntropy<float>();
        var sgd = new Sgd<float>(model.Parameters, 0.01, momentum: 0.9, nesterov: true, weightDecay: 1e-4);
        var x = new Matrix<float>(64, 20);
        var y = new Matrix<float>(64, 1);
        void Step()
        {
            loss.Forward(model.Forward(x), y);
            sgd.ZeroGrad();
            model.Backward(loss.Backward());
            sgd.Step();
        }
        Step();
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10; i++)
            Step();
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void BadOptionsThrow()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new TrainingOptions { Task = TaskKind.Classification, Epochs = 0 }.Validate());
        Assert.Contains("Epochs", ex.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new TrainingOptions { Task = TaskKind.Classification, BatchSize = -3 }.Validate());
        var model = Mlp.Create(2, [4], 2);
        var trainer = new Trainer(model, new SoftmaxCrossEntropy<float>(), new Sgd<float>(model.Parameters), new TrainingOptions { Task = TaskKind.Classification, Patience = 2 });
        Assert.Throws<ArgumentException>(() => trainer.Fit(Blobs(10, 1)));
    }
}
