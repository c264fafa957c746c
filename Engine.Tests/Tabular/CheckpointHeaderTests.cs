using System.Buffers.Binary;
using System.IO.Hashing;
using System.Text.Json.Nodes;

namespace Engine.Tests.Tabular;

/// <summary>
/// A checkpoint whose header lacks a part, lists tensors that do not fit the architecture and optimizer (a length out
/// of range, one tensor too few, a name or a length swapped) or whose metadata does not describe its network is
/// refused on load, each with its message word for word (the header edited as JSON, the file framed again with a valid
/// checksum), as is a null layer or options the network cannot be built with; an SGD run without momentum (empty
/// optimizer buffers) loads; and what a checkpoint carries beside the weights reads back as it was saved.
/// </summary>
public sealed class CheckpointHeaderTests() : TempDirectoryTests("engine-ckpt-header-")
{
    // 4 inputs → 3 → 3 classes, SGD with momentum: weights/0.weight (12), weights/0.bias (3), weights/2.weight (9),
    // weights/2.bias (3), then optimizer/0…3 of the same lengths (of length 0 with a momentum of 0: no velocity)
    private static Checkpoint Sample(ModelMetadata? metadata = null, double momentum = 0.9)
    {
        var model = Mlp.Create(4, [3], 3, seed: 1);
        var optimizer = new Sgd<float>(model.Parameters, 0.1, momentum: momentum);
        var state = new TrainingState
        {
            Progress = new TrainingProgress { LearningRate = 0.1, BaseLearningRate = 0.1 },
            Weights = [.. model.Parameters.Select(p => p.Value.AsSpan().ToArray())],
            OptimizerBuffers = [.. optimizer.StateBuffers.Select(b => (float[])b.Clone())],
        };
        return new Checkpoint([.. model.Layers.Select(LayerSpec.Of)], metadata ?? Samples.Metadata(4, 3),
            new FitOptions { Optimizer = OptimizerKind.Sgd, Momentum = momentum, Hidden = [3], WeightDecay = 0 }, state);
    }

    private string Saved(Checkpoint c)
    {
        string path = Path.Combine(Dir, $"{Guid.NewGuid():N}.ckpt");
        CheckpointFile.Save(path, c);
        return path;
    }

    // The saved sample with its header changed by `edit` (and `cut` payload bytes dropped from the end), framed again.
    private string Edited(Action<JsonObject> edit, int cut = 0)
    {
        byte[] bytes = File.ReadAllBytes(Saved(Sample()));
        int length = (int)BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(12));
        var header = JsonNode.Parse(bytes.AsSpan(16, length))!.AsObject();
        edit(header);
        byte[] h = Encoding.UTF8.GetBytes(header.ToJsonString());
        byte[] payload = bytes[(16 + length)..^(4 + cut)];
        byte[] file = [.. bytes.AsSpan(0, 12), 0, 0, 0, 0, .. h, .. payload, 0, 0, 0, 0];
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(12), (uint)h.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(file.Length - 4), Crc32.HashToUInt32(file.AsSpan(0, file.Length - 4)));
        string path = Path.Combine(Dir, $"{Guid.NewGuid():N}.ckpt");
        File.WriteAllBytes(path, file);
        return path;
    }

    private static string Refusal(string path) => Assert.Throws<ModelFormatException>(() => CheckpointFile.Load(path)).Message;

    private static JsonArray Tensors(JsonObject header) => header["tensors"]!.AsArray();

    [Fact]
    public void TheSampleLoadsAsSavedAndEditedUnchanged()
    {
        var loaded = CheckpointFile.Load(Edited(_ => { }));
        Assert.Equal(8, loaded.State.Weights.Length + loaded.State.OptimizerBuffers.Length);
    }

    [Fact]
    public void SgdWithoutMomentumSavesAndLoadsItsEmptyBuffers()
    {
        var sample = Sample(momentum: 0);
        var loaded = CheckpointFile.Load(Saved(sample));
        // PyTorch's SGD keeps no momentum buffer at μ = 0: one empty buffer a parameter, 0 bytes of payload each
        Assert.Equal([0, 0, 0, 0], loaded.State.OptimizerBuffers.Select(b => b.Length));
        Assert.Equal([12, 3, 9, 3], loaded.State.Weights.Select(w => w.Length));
        for (int i = 0; i < 4; i++)
            Assert.Equal(sample.State.Weights[i].Select(BitConverter.SingleToInt32Bits), loaded.State.Weights[i].Select(BitConverter.SingleToInt32Bits));
    }

    [Theory]
    [InlineData("layers", null)]
    [InlineData("metadata", null)]
    [InlineData("options", null)]
    [InlineData("progress", null)]
    [InlineData("tensors", null)]
    [InlineData("progress", "epochs")]
    [InlineData("options", "hidden")]
    public void AHeaderLackingAPartIsRefused(string part, string? inside)
    {
        string path = Edited(h =>
        {
            if (inside is null)
                h[part] = null;
            else
                h[part]![inside] = null;
        });
        Assert.Equal($"{path}: header lacks layers, metadata, options, progress or tensors.", Refusal(path));
        path = Edited(h => h["layers"] = new JsonArray());
        Assert.Equal($"{path}: header lacks layers, metadata, options, progress or tensors.", Refusal(path));
    }

    [Fact]
    public void ATensorEntryWithoutANameOrWithALengthOutOfRangeIsRefused()
    {
        string path = Edited(h => Tensors(h)[1]!["name"] = null);
        Assert.Equal($"{path}: tensor entry  has an invalid length 3.", Refusal(path));
        path = Edited(h => Tensors(h)[1]!["length"] = -1);
        Assert.Equal($"{path}: tensor entry weights/0.bias has an invalid length -1.", Refusal(path));
        path = Edited(h => Tensors(h)[1]!["length"] = (1 << 28) + 1);
        Assert.Equal($"{path}: tensor entry weights/0.bias has an invalid length 268435457.", Refusal(path));
        path = Edited(h => Tensors(h)[1] = null);
        Assert.Equal($"{path}: tensor entry  has an invalid length .", Refusal(path));
        // the largest length an entry may have passes that check and fails the payload's (27 weights and 27 buffer values)
        path = Edited(h => Tensors(h)[1]!["length"] = 1 << 28);
        Assert.Equal($"{path}: payload is {54 * 4} bytes but the tensors listed need {(12 + (1 << 28) + 9 + 3 + 27) * 4L}.", Refusal(path));
    }

    [Fact]
    public void TensorsThatDoNotFitTheArchitectureAndOptimizerAreRefused()
    {
        // one optimizer buffer fewer, its values cut off too
        string path = Edited(h => Tensors(h).RemoveAt(7), cut: 3 * 4);
        Assert.Equal($"{path}: lists 7 tensors but the architecture and optimizer need 8 (or 12 with best weights).", Refusal(path));
        // the first two lengths swapped (the payload's size unchanged)
        path = Edited(h => (Tensors(h)[0]!["length"], Tensors(h)[1]!["length"]) = (3, 12));
        Assert.Equal($"{path}: tensor 0 is weights/0.weight (3 values) but weights/0.weight (12 values) is needed.", Refusal(path));
        // a buffer named for another
        path = Edited(h => Tensors(h)[7]!["name"] = "optimizer/9");
        Assert.Equal($"{path}: tensor 7 is optimizer/9 (3 values) but optimizer/3 (3 values) is needed.", Refusal(path));
    }

    [Fact]
    public void ANullLayerOrALayerOrOptionTheNetworkRefusesIsRefused()
    {
        string path = Edited(h => h["layers"]![0] = null);
        Assert.Equal($"{path}: a layer entry is null.", Refusal(path));
        // the SGD sample with a momentum of 1.5: its optimizer cannot be built
        path = Edited(h => h["options"]!["momentum"] = 1.5);
        Assert.StartsWith($"{path}: inconsistent architecture or options: momentum must be in [0, 1), got 1.5.", Refusal(path), StringComparison.Ordinal);
    }

    [Fact]
    public void MetadataThatDoesNotDescribeTheNetworkIsRefused()
    {
        string path = Saved(Sample(Samples.Metadata(5, 3))); // five features for a network of four inputs
        Assert.StartsWith($"{path}: metadata describes 5 inputs but layer 0 ", Refusal(path), StringComparison.Ordinal);
        path = Saved(Sample(Samples.Metadata(4, 2)));         // two class names for three outputs
        Assert.Equal($"{path}: a classification model with 3 outputs needs 3 class names.", Refusal(path));
        Assert.Throws<ArgumentNullException>(() => CheckpointFile.Save(Path.Combine(Dir, "null.ckpt"), null!));
    }

    [Fact]
    public void WhatACheckpointCarriesBesideTheWeightsReadsBackAsSaved()
    {
        var sample = Sample();
        var best = sample.State.Weights.Select(w => w.Select(v => v + 1).ToArray()).ToArray();
        var progress = new TrainingProgress
        {
            Epoch = 1, Step = 2, OptimizerSteps = 9, LearningRate = 0.05, BaseLearningRate = 0.1, LossSum = 3.5, Correct = 7,
            BestLoss = 0.75, BestEpoch = 1, EpochsSinceBest = 0, Epochs = [new EpochResult(1, 0.9, null, 0.05, 0.25, TrainAccuracy: 0.5)],
        };
        var saved = sample with
        {
            State = new TrainingState { Progress = progress, Weights = sample.State.Weights, OptimizerBuffers = sample.State.OptimizerBuffers, BestWeights = best },
            Data = new DataFingerprint(150, 4, 0xDEADBEEF),
            SeparateTest = true,
            DataPath = "/data/train.csv",
            TestPath = "/data/test.csv",
            Read = new TableOptions { Target = "label", Drop = ["id"], Categorical = ["f3"] },
        };
        var c = CheckpointFile.Load(Saved(saved));
        Assert.Equal(new DataFingerprint(150, 4, 0xDEADBEEF), c.Data);
        Assert.True(c.SeparateTest);
        Assert.Equal(("/data/train.csv", "/data/test.csv"), (c.DataPath, c.TestPath));
        Assert.Equal("label", c.Read!.Target);
        Assert.Equal(["id"], c.Read.Drop!);
        Assert.Equal(["f3"], c.Read.Categorical!);
        Assert.Equal(progress.Epochs, c.State.Progress.Epochs);
        Assert.Equal((1, 2, 9L, 0.05, 0.1, 3.5, 0.75, 1), (c.State.Progress.Epoch, c.State.Progress.Step, c.State.Progress.OptimizerSteps,
            c.State.Progress.LearningRate, c.State.Progress.BaseLearningRate, c.State.Progress.LossSum, c.State.Progress.BestLoss, c.State.Progress.BestEpoch));
        Assert.Equal(best.Length, c.State.BestWeights!.Length);
        for (int i = 0; i < best.Length; i++)
            Assert.True(best[i].AsSpan().SequenceEqual(c.State.BestWeights[i]), $"best weights {i}");
        Assert.Equal(saved.Layers, c.Layers);
        Assert.Equal(saved.Metadata.FeatureNames, c.Metadata.FeatureNames);
        Assert.Equal(saved.Metadata.ClassNames!, c.Metadata.ClassNames!);
    }
}
