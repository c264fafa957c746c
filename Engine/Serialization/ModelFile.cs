using System.Text;
using System.Text.Json;
using Engine.Data;
using Engine.Layers;

namespace Engine.Serialization;

/// <summary>
/// The engine's model file (.mlp), one file holding architecture, weights and preprocessing:
/// <code>
/// "ENGNMLP\0"  8 bytes magic
/// version      u32 little-endian (1)
/// headerLength u32 little-endian
/// header       UTF-8 JSON: { layers: [LayerSpec…], tensors: [{name, shape}…], metadata: ModelMetadata }
/// payload      every tensor's float32 values, little-endian, in header order
/// crc32        u32 little-endian, CRC-32 of every byte before it
/// </code>
/// Sizes are validated against the file's length before anything is allocated; writes are atomic.
/// </summary>
public static class ModelFile
{
    /// <summary>Current format version.</summary>
    public const uint Version = 1;

    /// <summary>Largest header accepted, far above any real one.</summary>
    public const int MaxHeaderBytes = 16 << 20;

    private static ReadOnlySpan<byte> Magic => "ENGNMLP\0"u8;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() }, // column kinds in the schema
        WriteIndented = false,
    };

    private sealed record TensorEntry(string Name, int[] Shape);

    private sealed record Header(LayerSpec[] Layers, TensorEntry[] Tensors, ModelMetadata Metadata);

    /// <summary>Saves <paramref name="model"/> and <paramref name="metadata"/> to <paramref name="path"/>, atomically.</summary>
    public static void Save(string path, Sequential<float> model, ModelMetadata metadata)
    {
        byte[] headerBytes = HeaderBytes(model, metadata);
        FramedFile.Write(path, Magic, Version, headerBytes, put =>
        {
            foreach (var p in model.Parameters)
                put(p.Value.AsSpan());
        });
    }

    /// <summary>The file's JSON header for <paramref name="model"/> and <paramref name="metadata"/> (layers, tensor names and shapes, metadata).</summary>
    internal static byte[] HeaderBytes(Sequential<float> model, ModelMetadata metadata)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(metadata);
        var header = new Header(
            [.. model.Layers.Select(LayerSpec.Of)],
            [.. model.NamedParameters.Select(np => new TensorEntry(np.Name, [np.Parameter.Value.Rows, np.Parameter.Value.Cols]))],
            metadata);
        return JsonSerializer.SerializeToUtf8Bytes(header, Json);
    }

    /// <summary>Loads a model saved by <see cref="Save"/>; throws <see cref="ModelFormatException"/> for anything else.</summary>
    public static (Sequential<float> Model, ModelMetadata Metadata) Load(string path)
    {
        var contents = FramedFile.Read(path, Magic, Version, "model file", MaxHeaderBytes);
        byte[] bytes = contents.Bytes;
        ModelFormatException Problem(string what) => new(path, what);
        var header = FramedFile.ParseHeader<Header>(path, contents, Json);
        if (header.Layers is null || header.Layers.Length == 0 || header.Tensors is null || header.Metadata is null)
            throw Problem("header lacks layers, tensors or metadata.");

        // sizes first: nothing is allocated for an architecture the payload cannot hold
        long payload = contents.PayloadLength;
        Int128 claimed = header.Layers.Aggregate(Int128.Zero, (sum, spec) => sum + ParameterCount(spec)) * sizeof(float);
        if (claimed != payload)
            throw Problem($"payload is {payload} bytes but the architecture needs {claimed}.");

        Sequential<float> model;
        try
        {
            model = new Sequential<float>([.. header.Layers.Select(spec => (spec ?? throw Problem("a layer entry is null.")).Create(Problem))]);
        }
        catch (ArgumentException e)
        {
            throw Problem($"inconsistent architecture: {e.Message}");
        }
        var parameters = model.NamedParameters;
        if (parameters.Count != header.Tensors.Length)
            throw Problem($"header lists {header.Tensors.Length} tensors but the layers have {parameters.Count}.");
        long expected = parameters.Sum(np => (long)np.Parameter.Length) * sizeof(float);
        if (payload != expected)
            throw Problem($"payload is {payload} bytes but the architecture needs {expected}.");
        int offset = contents.PayloadOffset;
        for (int i = 0; i < parameters.Count; i++)
        {
            var (name, p) = parameters[i];
            var entry = header.Tensors[i];
            if (entry?.Shape is not [int rows, int cols] || entry.Name != name || rows != p.Value.Rows || cols != p.Value.Cols)
                throw Problem($"tensor {i} is {entry?.Name} {FormatShape(entry?.Shape)} but the architecture needs {name} [{p.Value.Rows}, {p.Value.Cols}].");
            FramedFile.ReadLittleEndian(bytes.AsSpan(offset, p.Length * sizeof(float)), p.Value.AsSpan());
            offset += p.Length * sizeof(float);
        }
        CheckMetadata(header.Metadata, model, Problem);
        return (model, header.Metadata);
    }

    /// <summary>The metadata must describe <paramref name="model"/>: a model that runs on rows of its features, names that are not null.</summary>
    internal static void CheckMetadata(ModelMetadata m, Sequential<float> model, Func<string, ModelFormatException> problem)
    {
        if (m.FeatureNames is null || m.TargetName is null || !Enum.IsDefined(m.Task))
            throw problem("metadata lacks feature names, target name or a valid task.");
        if (m.FeatureNames.Any(n => n is null) || (m.ClassNames?.Any(n => n is null) ?? false) || m.Training is null)
            throw problem("metadata has a null feature name, class name or training record.");
        var encoding = m.EffectiveEncoding;
        if (m.Encoding is { } e && (e.Columns is null || e.Columns.Any(c => c is null)))
            throw problem("metadata has an encoding without columns.");
        if (!encoding.Columns.Select(c => c.Name).SequenceEqual(m.FeatureNames))
            throw problem("metadata's encoding does not list the feature columns in order.");
        foreach (var c in encoding.Columns)
        {
            bool valid = c.Kind switch
            {
                ColumnKind.Numeric => float.IsFinite(c.Median) && c.Levels is null,
                ColumnKind.Categorical => c.Levels is not null && c.Levels.All(l => l is not null) && !c.Indicator,
                _ => false,
            };
            if (!valid)
                throw problem($"metadata's encoding of column '{c.Name}' is invalid.");
        }
        if (encoding.Columns.SkipWhile(c => c.Kind == ColumnKind.Numeric).Any(c => c.Kind == ColumnKind.Numeric))
            throw problem("metadata's encoding lists a numeric column after a categorical one.");
        int inputWidth = encoding.Width;
        // a per-unit PReLU before the first dense layer fixes the input width too
        int columns = inputWidth;
        for (int i = 0; i < model.Layers.Count; i++)
        {
            var layer = model.Layers[i];
            if (layer.RequiredInputFeatures is int n && n != columns)
                throw problem($"metadata describes {inputWidth} inputs but layer {i} ({layer}) takes {n} features where it gets {columns}.");
            columns = layer.OutputFeatures(columns);
        }
        int outputs = columns;
        if (m.Task == TaskKind.Classification && (m.ClassNames is null || m.ClassNames.Length != outputs))
            throw problem($"a classification model with {outputs} outputs needs {outputs} class names.");
        foreach (var (scaler, width, what) in new[] { (m.FeatureScaler, encoding.Numeric.Count(), "feature"), (m.TargetScaler, outputs, "target") })
        {
            if (scaler is not null && (scaler.Offset?.Length != width || scaler.Scale?.Length != width))
                throw problem($"{what} scaler has the wrong number of columns (expected {width}).");
        }
    }

    // The parameters a spec claims, from the spec alone (0 for a spec the registry refuses: building it then reports why).
    private static long ParameterCount(LayerSpec? spec) =>
        spec is null || LayerRegistry.Problem(spec) is not null ? 0
            : LayerRegistry.ParameterShapes(spec, what => new InvalidOperationException(what)).Sum(p => p.Shape.Aggregate(1L, (n, d) => n * d));

    private static string FormatShape(int[]? shape) => shape is null ? "[]" : $"[{string.Join(", ", shape)}]";
}
