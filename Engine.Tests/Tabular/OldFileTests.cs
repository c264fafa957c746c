namespace Engine.Tests.Tabular;

/// <summary>Files written by earlier versions (Engine.Tests/Fixtures) still load and resume.</summary>
public sealed class OldFileTests
{
    private static string Fixture(string name) => Path.Combine(DataFiles.RepoRoot, "Engine.Tests", "Fixtures", "v0.1", name);

    [Fact]
    public void Version01CheckpointLoadsWithItsProgressAndOptions()
    {
        var c = CheckpointFile.Load(Fixture("iris-sgd.mlp.ckpt"));
        Assert.Equal(4, c.State.Progress.Epoch);
        Assert.Equal(0, c.State.Progress.Step);
        Assert.Equal(4, c.State.Progress.Epochs.Count);
        Assert.Equal(4 * 4, c.State.Progress.OptimizerSteps); // 4 epochs × ⌈(150 − 30 test − 12 validation) / 32⌉ steps
        Assert.Equal([1, 2, 3, 4], c.State.Progress.Epochs.Select(e => e.Epoch));
        Assert.All(c.State.Progress.Epochs, e => Assert.NotNull(e.Validation));
        Assert.Equal(OptimizerKind.Sgd, c.Options.Optimizer);
        Assert.True(c.Options.Nesterov);
        Assert.Equal(10, c.Options.Patience);
        Assert.Equal([8], c.Options.Hidden);
        Assert.Equal(TaskKind.Classification, c.Metadata.Task);
        Assert.Equal(["setosa", "versicolor", "virginica"], c.Metadata.ClassNames!);
        Assert.NotNull(c.State.BestWeights);
        Assert.InRange(c.State.Progress.BestEpoch, 1, 4);
        Assert.Equal(c.State.Progress.BestLoss, c.State.Progress.Epochs[c.State.Progress.BestEpoch - 1].Validation!.Loss);
    }

    [Fact]
    public void Version01ModelAndCheckpointHoldTheSameWeights()
    {
        // The run ended at epoch 4 without early stopping, so its model is the checkpoint's weights.
        var model = TabularModel.Load(Fixture("iris-sgd.mlp"));
        var c = CheckpointFile.Load(Fixture("iris-sgd.mlp.ckpt"));
        Assert.Equal(c.State.Weights.Length, model.Network.Parameters.Count);
        for (int i = 0; i < c.State.Weights.Length; i++)
            Assert.Equal(c.State.Weights[i], model.Network.Parameters[i].Value.AsSpan().ToArray());
    }

    [Fact]
    public void Version01CheckpointResumesToTheSameModel()
    {
        // Resuming with no epochs left trains nothing: the model equals the saved one, and so do its predictions.
        var data = CsvDataset.Load(TestData.DataFile("iris.csv"));
        var saved = TabularModel.Load(Fixture("iris-sgd.mlp"));
        var resumed = TabularModel.Resume(CheckpointFile.Load(Fixture("iris-sgd.mlp.ckpt")), data);
        Assert.Equal(0.733333, resumed.Test.Accuracy!.Value, 5); // what the 0.1 run printed
        Assert.Equal(saved.Predict(data.Features).AsSpan().ToArray(), resumed.Model.Predict(data.Features).AsSpan().ToArray());

        // and it trains on from there
        var c = CheckpointFile.Load(Fixture("iris-sgd.mlp.ckpt"));
        var longer = TabularModel.Resume(c with { Options = c.Options with { Epochs = 6 } }, data);
        Assert.Equal(6, longer.History.Epochs.Count);
    }
}
