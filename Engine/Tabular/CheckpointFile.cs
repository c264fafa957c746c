using System.Text.Json;
using System.Text.Json.Serialization;
using Engine.Data;
using Engine.Layers;
using Engine.Serialization;
using Engine.Training;

namespace Engine.Tabular;

/// <summary>
/// The checkpoint file (.ckpt): a <see cref="FramedFile"/> (the model file's container) with magic "ENGNCKPT",
/// version 1, a JSON header <c>{ layers, metadata, options, progress, tensors: [{name, length}…], data, … }</c>,
/// and as payload the weights ("weights/0.weight", …), the optimizer buffers ("optimizer/0", …), then the
/// early-stopping best weights ("best/0.weight", …) if any. Every size is checked against the file's length, the
/// architecture and the optimizer before anything is allocated; anything wrong is a
/// <see cref="ModelFormatException"/>. Writes are atomic.
/// </summary>
public static class CheckpointFile
{
    /// <summary>Current format version.</summary>
    public const uint Version = 1;

    /// <summary>Largest header accepted (the history grows it by ~150 bytes an epoch).</summary>
    public const int MaxHeaderBytes = 64 << 20;

    private static ReadOnlySpan<byte> Magic => "ENGNCKPT"u8;
    private const int MaxTensorLength = 1 << 28;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals, // the best loss starts at ∞
        Converters = { new JsonStringEnumConverter() },
    };

    private sealed record TensorEntry(string Name, int Length);

    private sealed record Header(LayerSpec[] Layers, ModelMetadata Metadata, FitOptions Options, TrainingProgress Progress, TensorEntry[] Tensors,
        DataFingerprint Data, bool SeparateTest, string? DataPath, string? TestPath, TableOptions? Read = null);

    /// <summary>Writes <paramref name="checkpoint"/> to <paramref name="path"/>, atomically.</summary>
    public static void Save(string path, Checkpoint checkpoint)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        var s = checkpoint.State;
        var network = new Sequential<float>([.. checkpoint.Layers.Select(spec => spec.Create(problem => new ArgumentException(problem, nameof(checkpoint))))]);
        var names = network.NamedParameters.Select(np => np.Name).ToArray();
        var tensors = new List<(string Name, float[] Values)>();
        tensors.AddRange(s.Weights.Select((w, i) => ($"weights/{names[i]}", w)));
        tensors.AddRange(s.OptimizerBuffers.Select((b, i) => ($"optimizer/{i}", b)));
        if (s.BestWeights is not null)
            tensors.AddRange(s.BestWeights.Select((w, i) => ($"best/{names[i]}", w)));
        var header = new Header(
            checkpoint.Layers, checkpoint.Metadata, checkpoint.Options,
            s.Progress,
            [.. tensors.Select(t => new TensorEntry(t.Name, t.Values.Length))],
            checkpoint.Data, checkpoint.SeparateTest, checkpoint.DataPath, checkpoint.TestPath, checkpoint.Read);
        byte[] headerBytes = JsonSerializer.SerializeToUtf8Bytes(header, Json);
        // Never write what Load would refuse: a file the reader cannot hold is not a checkpoint.
        long total = FramedFile.PrefixBytes + headerBytes.LongLength + (4L * tensors.Sum(t => (long)t.Values.Length)) + 4;
        if (headerBytes.Length > MaxHeaderBytes || tensors.Any(t => t.Values.Length > MaxTensorLength) || total > int.MaxValue)
            throw new ModelFormatException(path, $"the checkpoint would be {total:N0} bytes (header {headerBytes.Length:N0}, largest tensor "
                + $"{tensors.Max(t => t.Values.Length):N0} values), beyond what a checkpoint can hold (2 GB, a {MaxHeaderBytes >> 20} MB header, "
                + $"{MaxTensorLength:N0} values a tensor); it was not written.");
        FramedFile.Write(path, Magic, Version, headerBytes, put =>
        {
            foreach (var (_, values) in tensors)
                put(values);
        });
    }

    /// <summary>Reads a checkpoint written by <see cref="Save"/>; throws <see cref="ModelFormatException"/> for anything else.</summary>
    public static Checkpoint Load(string path)
    {
        var contents = FramedFile.Read(path, Magic, Version, "checkpoint", MaxHeaderBytes);
        byte[] bytes = contents.Bytes;
        ModelFormatException Problem(string what) => new(path, what);
        var header = FramedFile.ParseHeader<Header>(path, contents, Json);
        if (header.Layers is not { Length: > 0 } || header.Metadata is null || header.Options is null || header.Progress is null
            || header.Tensors is null || header.Progress.Epochs is null || header.Options.Hidden is null)
            throw Problem("header lacks layers, metadata, options, progress or tensors.");

        // Sizes first: the tensors must exactly fill the payload.
        long payload = contents.PayloadLength;
        long needed = 0;
        foreach (var t in header.Tensors)
        {
            if (t?.Name is null || t.Length is < 0 or > MaxTensorLength)
                throw Problem($"tensor entry {t?.Name} has an invalid length {t?.Length}.");
            needed += (long)t.Length * sizeof(float);
        }
        if (needed != payload)
            throw Problem($"payload is {payload} bytes but the tensors listed need {needed}.");

        // Then the architecture and the optimizer the options ask for decide what the tensors must be.
        Sequential<float> network;
        int[] bufferLengths;
        try
        {
            network = new Sequential<float>([.. header.Layers.Select(spec => (spec ?? throw Problem("a layer entry is null.")).Create(Problem))]);
            bufferLengths = [.. TabularModel.CreateOptimizer(network, header.Options).StateBuffers.Select(b => b.Length)];
        }
        catch (ArgumentException e)
        {
            throw Problem($"inconsistent architecture or options: {e.Message}");
        }
        var parameters = network.NamedParameters;
        var p = header.Progress;
        bool hasBest = header.Tensors.Length == 2 * parameters.Count + bufferLengths.Length;
        var expected = parameters.Select(np => ($"weights/{np.Name}", np.Parameter.Length))
            .Concat(bufferLengths.Select((n, i) => ($"optimizer/{i}", n)))
            .Concat(hasBest ? parameters.Select(np => ($"best/{np.Name}", np.Parameter.Length)) : [])
            .ToArray();
        if (header.Tensors.Length != expected.Length)
            throw Problem($"lists {header.Tensors.Length} tensors but the architecture and optimizer need {expected.Length} (or {expected.Length + parameters.Count} with best weights).");
        for (int i = 0; i < expected.Length; i++)
        {
            if (header.Tensors[i].Name != expected[i].Item1 || header.Tensors[i].Length != expected[i].Item2)
                throw Problem($"tensor {i} is {header.Tensors[i].Name} ({header.Tensors[i].Length} values) but {expected[i].Item1} ({expected[i].Item2} values) is needed.");
        }
        if (p.Epoch < 0 || p.Step < 0 || p.Epochs.Count != p.Epoch || p.OptimizerSteps < 0 || !double.IsFinite(p.LossSum)
            || !(p.LearningRate >= 0 && double.IsFinite(p.LearningRate)) || !(p.BaseLearningRate >= 0 && double.IsFinite(p.BaseLearningRate))
            || p.Epochs.Any(e => e is null) || header.Options.Epochs < 1 || header.Options.BatchSize < 1)
            throw Problem($"progress is inconsistent (epoch {p.Epoch}, step {p.Step}, {p.Epochs.Count} epochs of history, {p.OptimizerSteps} optimizer steps).");
        ModelFile.CheckMetadata(header.Metadata, network, Problem);

        int offset = contents.PayloadOffset;
        float[] Next(int count)
        {
            var values = new float[count];
            FramedFile.ReadLittleEndian(bytes.AsSpan(offset, count * sizeof(float)), values);
            offset += count * sizeof(float);
            return values;
        }
        float[][] weights = [.. parameters.Select(np => Next(np.Parameter.Length))];
        float[][] buffers = [.. bufferLengths.Select(Next)];
        float[][]? best = hasBest ? [.. parameters.Select(np => Next(np.Parameter.Length))] : null;
        var state = new TrainingState { Progress = p, Weights = weights, OptimizerBuffers = buffers, BestWeights = best };
        // Checkpoints written before the default weight decay depended on the task (Engine 0.1) store null for
        // "the default", which was then 1.0 for AdamW and 0 otherwise: resume with what the run used.
        var options = header.Options.WeightDecay is null
            ? header.Options with { WeightDecay = header.Options.Optimizer == Optimizers.OptimizerKind.AdamW ? 1.0 : 0 }
            : header.Options;
        return new Checkpoint(header.Layers, header.Metadata, options, state)
        {
            Data = header.Data,
            SeparateTest = header.SeparateTest,
            DataPath = header.DataPath,
            TestPath = header.TestPath,
            Read = header.Read,
        };
    }
}
