using System.Buffers.Binary;
using System.IO.Hashing;

namespace Engine.Tests.Tabular;

public sealed class CheckpointFileTests() : TempDirectoryTests("engine-ckpt-")
{
    private Checkpoint? _saved; // what SaveSample wrote

    private string SaveSample(string name = "run.ckpt")
    {
        var data = CsvDataset.Load(TestData.DataFile("iris.csv"));
        using var cancel = new CancellationTokenSource();
        var result = TabularModel.Fit(data, new FitOptions { Seed = 2, Epochs = 5, Patience = 3, Optimizer = OptimizerKind.Sgd },
            epochCompleted: e =>
            {
                if (e.Epoch == 2)
                    cancel.Cancel();
            }, cancellation: cancel.Token);
        string path = Path.Combine(Dir, name);
        _saved = result.Checkpoint! with { DataPath = "/data/iris.csv" };
        CheckpointFile.Save(path, _saved);
        return path;
    }

    [Fact]
    public void RoundTripKeepsEverything()
    {
        string path = SaveSample();
        var c = CheckpointFile.Load(path);
        Assert.Equal(2, c.State.Progress.Epoch);
        Assert.Equal(0, c.State.Progress.Step);
        Assert.Equal(2, c.State.Progress.Epochs.Count);
        var saved = _saved!.State;
        var (p, q) = (saved.Progress, c.State.Progress);
        Assert.Equal((p.BestLoss, p.BestEpoch, p.EpochsSinceBest), (q.BestLoss, q.BestEpoch, q.EpochsSinceBest));
        Assert.Equal((p.OptimizerSteps, p.LearningRate, p.BaseLearningRate, p.LossSum, p.Correct, p.Seconds), (q.OptimizerSteps, q.LearningRate, q.BaseLearningRate, q.LossSum, q.Correct, q.Seconds));
        Assert.Equal(p.Epochs, q.Epochs); // the history, record by record
        Assert.True(double.IsFinite(q.BestLoss));
        foreach (var (what, expected, actual) in new[] { ("weights", saved.Weights, c.State.Weights), ("best weights", saved.BestWeights!, c.State.BestWeights!), ("optimizer buffers", saved.OptimizerBuffers, c.State.OptimizerBuffers) })
        {
            Assert.Equal(expected.Length, actual.Length);
            for (int i = 0; i < expected.Length; i++)
                Assert.True(expected[i].AsSpan().SequenceEqual(actual[i]), $"{what} {i} differ from what was saved");
        }
        Assert.Equal(_saved.Options, c.Options with { Hidden = _saved.Options.Hidden });
        Assert.Equal(_saved.Options.Hidden, c.Options.Hidden);
        Assert.Equal(_saved.Data, c.Data);
        Assert.Equal(OptimizerKind.Sgd, c.Options.Optimizer);
        Assert.Equal(5, c.Options.Epochs);
        Assert.Equal("/data/iris.csv", c.DataPath);
        Assert.Equal(["setosa", "versicolor", "virginica"], c.Metadata.ClassNames!);
        Assert.Equal(c.State.Weights.Length, c.State.OptimizerBuffers.Length); // SGD momentum: one velocity per parameter
        Assert.Empty(Directory.GetFiles(Dir, "*.tmp"));
    }

    [Fact]
    public void AFreshStateWithInfiniteBestLossRoundTrips()
    {
        var model = Mlp.Create(3, [4], 2, seed: 1);
        var state = new TrainingState
        {
            Progress = new TrainingProgress { Epoch = 0, Step = 3, LossSum = 1.25, OptimizerSteps = 3, LearningRate = 0.001, BaseLearningRate = 0.001 },
            Weights = [.. model.Parameters.Select(p => p.Value.AsSpan().ToArray())],
            OptimizerBuffers = [.. model.Parameters.Select(p => new float[p.Length]).Concat(model.Parameters.Select(p => new float[p.Length]))],
        };
        var metadata = new ModelMetadata(TaskKind.Classification, ["a", "b", "c"], "y", ["n", "p"]);
        string path = Path.Combine(Dir, "fresh.ckpt");
        CheckpointFile.Save(path, new Checkpoint([.. model.Layers.Select(LayerSpec.Of)], metadata, new FitOptions(), state));
        var loaded = CheckpointFile.Load(path).State;
        Assert.Equal(double.PositiveInfinity, loaded.Progress.BestLoss);
        Assert.Null(loaded.BestWeights);
        Assert.Equal(1.25, loaded.Progress.LossSum);
        Assert.Equal(3, loaded.Progress.Step);
        Assert.True(loaded.Weights[0].AsSpan().SequenceEqual(state.Weights[0]));
    }

    [Fact]
    public void FlippedByteIsAChecksumError()
    {
        string path = SaveSample();
        byte[] bytes = File.ReadAllBytes(path);
        Assert.Contains("checksum", Refused(path, ModelReaderChecks.Flipped(bytes, bytes.Length - 40)).Message);
    }

    [Fact]
    public void TruncatedFileIsRefused()
    {
        string path = SaveSample();
        byte[] bytes = File.ReadAllBytes(path);
        Refused(path, bytes[..(bytes.Length / 2)]);
        Assert.Contains("too short", Refused(path, bytes[..10]).Message);
    }

    [Fact]
    public void AModelFileIsNotACheckpoint()
    {
        var model = TabularModel.Fit(CsvDataset.Load(TestData.DataFile("iris.csv")), new FitOptions { Epochs = 1 }).Model;
        string path = Path.Combine(Dir, "m.mlp");
        model.Save(path);
        Assert.Contains("not an Engine checkpoint", Assert.Throws<ModelFormatException>(() => CheckpointFile.Load(path)).Message);
    }

    [Fact]
    public void HeaderThatLiesAboutSizesIsRefusedBeforeAllocating()
    {
        string path = SaveSample();
        // Claim a huge first tensor, with a valid checksum: the sizes check must catch it.
        string header = ReadHeader(path, out byte[] payloadAndCrc);
        string lying = header.Replace("\"weights/0.weight\",\"length\":256", "\"weights/0.weight\",\"length\":200000000", StringComparison.Ordinal);
        Assert.NotEqual(header, lying);
        WriteWithHeader(path, lying, payloadAndCrc);
        Assert.Contains("payload", Assert.Throws<ModelFormatException>(() => CheckpointFile.Load(path)).Message);

        // A consistent size but the wrong optimizer: the buffers no longer fit.
        string adam = header.Replace("\"optimizer\":\"Sgd\"", "\"optimizer\":\"Adam\"", StringComparison.Ordinal);
        Assert.NotEqual(header, adam);
        WriteWithHeader(path, adam, payloadAndCrc);
        Assert.Throws<ModelFormatException>(() => CheckpointFile.Load(path));
    }

    private static ModelFormatException Refused(string path, byte[] bytes) => ModelReaderChecks.Refused(path, bytes, p => CheckpointFile.Load(p));

    private static string ReadHeader(string path, out byte[] rest)
    {
        byte[] bytes = File.ReadAllBytes(path);
        int length = (int)BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(12));
        rest = bytes[(16 + length)..];
        return Encoding.UTF8.GetString(bytes, 16, length);
    }

    private static void WriteWithHeader(string path, string header, byte[] payloadAndCrc)
    {
        byte[] h = Encoding.UTF8.GetBytes(header);
        byte[] bytes = [.. "ENGNCKPT"u8, 1, 0, 0, 0, 0, 0, 0, 0, .. h, .. payloadAndCrc.AsSpan(0, payloadAndCrc.Length - 4), 0, 0, 0, 0];
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(12), (uint)h.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(bytes.Length - 4), Crc32.HashToUInt32(bytes.AsSpan(0, bytes.Length - 4)));
        File.WriteAllBytes(path, bytes);
    }
}
