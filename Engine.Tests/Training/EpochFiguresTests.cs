namespace Engine.Tests.Training;

/// <summary>
/// The figures each epoch reports, against values computed by hand from a naive forward pass: with a learning rate of
/// 0 the weights never move, so an epoch's training loss is the mean loss over every row (batches of unequal size
/// weighted by their rows) and its training accuracy the share of rows the fixed model gets right. Also the early
/// stopping count, the cancellation message and the wall times.
/// </summary>
public class EpochFiguresTests
{

    [Fact]
    public void ClassificationLossAndAccuracyAreMeansOverEveryTrainingRow()
    {
        var data = Samples.Blobs(37, 1, center: 0.5); // batches of 10, 10, 10 and 7 rows
        var model = Mlp.Create(2, [8], 3, seed: 2);
        double loss = 0;
        int correct = 0;
        for (int i = 0; i < data.Count; i++)
        {
            double[] z = NaiveMlp.Forward(model, data.Features.Row(i));
            int label = (int)data.Targets[i, 0];
            double max = z.Max();
            loss += max + Math.Log(z.Sum(v => Math.Exp(v - max))) - z[label];
            if (Array.IndexOf(z, max) == label)
                correct++;
        }
        Assert.InRange(correct, 1, data.Count - 1); // neither 0 nor 1: a wrong count shows

        var history = new Trainer(model, new SoftmaxCrossEntropy<float>(), new Sgd<float>(model.Parameters, 0.0),
            new TrainingOptions { Task = TaskKind.Classification, Epochs = 2, BatchSize = 10, Seed = 4 }).Fit(data);

        Assert.Equal(2, history.Epochs.Count);
        foreach (var epoch in history.Epochs)
        {
            Assert.Equal(loss / data.Count, epoch.TrainLoss, 5);
            Assert.Equal((double)correct / data.Count, epoch.TrainAccuracy);
        }
    }

    [Fact]
    public void RegressionLossIsTheMeanSquaredErrorOverEveryRowAndHasNoAccuracy()
    {
        var rng = new Rng(3);
        var x = Samples.StandardNormal(23, 2, seed: 5); // batches of 8, 8 and 7 rows
        var y = new Matrix<float>(23, 1);
        for (int i = 0; i < y.Rows; i++)
            y[i, 0] = (float)(x[i, 0] - 2 * x[i, 1] + 0.3 * rng.NextNormal());
        var data = new Dataset(x, y, ["a", "b"], "t", TaskKind.Regression, null, "made up");
        var model = Mlp.Create(2, [6], 1, seed: 7);
        double sse = 0;
        for (int i = 0; i < data.Count; i++)
        {
            double d = NaiveMlp.Forward(model, x.Row(i))[0] - y[i, 0];
            sse += d * d;
        }

        var history = new Trainer(model, new MeanSquaredError<float>(), new Sgd<float>(model.Parameters, 0.0),
            new TrainingOptions { Task = TaskKind.Regression, Epochs = 1, BatchSize = 8, Seed = 4 }).Fit(data);

        Assert.Equal(sse / data.Count, history.Epochs[0].TrainLoss, 5);
        Assert.Null(history.Epochs[0].TrainAccuracy);
    }

    [Fact]
    public void AnEqualValidationLossIsNoImprovement()
    {
        // Weights that never move give the same validation loss every epoch: the first is the best, and the run stops
        // Patience epochs later, naming it.
        var model = Mlp.Create(2, [8], 2, seed: 2);
        var history = new Trainer(model, new SoftmaxCrossEntropy<float>(), new Sgd<float>(model.Parameters, 0.0),
            new TrainingOptions { Task = TaskKind.Classification, Epochs = 10, BatchSize = 16, Patience = 2 })
            .Fit(Samples.Blobs(40, 1, center: 1), Samples.Blobs(20, 2, center: 1));

        Assert.Equal(StopReason.EarlyStopped, history.StopReason);
        Assert.Equal(3, history.Epochs.Count);
        Assert.Equal(1, history.BestEpoch);
        double best = history.Epochs[0].Validation!.Loss;
        Assert.All(history.Epochs, e => Assert.Equal(best, e.Validation!.Loss));
        Assert.Equal($"Early stopping after epoch 3: validation loss has not improved for 2 epochs (best {best:G4} at epoch 1).", history.Message);
    }

    [Fact]
    public void ACancelledRunSaysWhereItStoppedAndItsTimesAddUpAcrossAResume()
    {
        // 35 rows in batches of 10: 4 steps an epoch; cancelled after 7 steps = epoch 2, step 3
        var data = Samples.Blobs(35, 1, center: 1);
        var options = new TrainingOptions { Task = TaskKind.Classification, Epochs = 3, BatchSize = 10, Seed = 3 };
        using var cancel = new CancellationTokenSource();
        var model = new Sequential<float>([.. Mlp.Create(2, [8], 2, seed: 2).Layers, new Tripwire(7, cancel)]);
        var trainer = new Trainer(model, new SoftmaxCrossEntropy<float>(), new Sgd<float>(model.Parameters, 0.1), options);
        var stopped = trainer.Fit(data, cancellation: cancel.Token);

        Assert.Equal(StopReason.Cancelled, stopped.StopReason);
        Assert.Equal("Cancelled in epoch 2 after step 3.", stopped.Message);
        // The run's clock holds the epochs' own clocks, and keeps going until the state is captured.
        Assert.True(stopped.Seconds > 0 && stopped.Seconds >= stopped.Epochs.Sum(e => e.Seconds), $"{stopped.Seconds} s");
        var state = trainer.CaptureState();
        Assert.True(state.Progress.Seconds >= stopped.Seconds, $"{state.Progress.Seconds} s captured after {stopped.Seconds} s");

        var again = Mlp.Create(2, [8], 2, seed: 2);
        var resumed = new Trainer(again, new SoftmaxCrossEntropy<float>(), new Sgd<float>(again.Parameters, 0.1), options).Resume(state, data);
        Assert.Equal(StopReason.Completed, resumed.StopReason);
        Assert.Equal(3, resumed.Epochs.Count);
        double since = resumed.Epochs.Skip(1).Sum(e => e.Seconds); // the epochs run (or finished) after the resume
        Assert.True(resumed.Seconds >= state.Progress.Seconds + since, $"{resumed.Seconds} s in all, {state.Progress.Seconds} s before the resume");
    }
}
