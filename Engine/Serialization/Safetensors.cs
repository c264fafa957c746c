using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Engine.Layers;

namespace Engine.Serialization;

/// <summary>
/// Export to and import from Hugging Face's safetensors format
/// (https://github.com/huggingface/safetensors), so a trained model opens in PyTorch:
/// <code>
/// N            u64 little-endian: length of the header
/// header       N bytes of UTF-8 JSON, padded with spaces to a multiple of 8 bytes:
///              { "__metadata__": { "format": "engine-mlp",
///                                  "architecture": "[LayerSpec…]" (JSON text),
///                                  "engine_metadata": "{ModelMetadata}" (JSON text) },
///                "0.weight": { "dtype": "F32", "shape": [out, in], "data_offsets": [begin, end] },
///                "0.bias":   { "dtype": "F32", "shape": [out],     "data_offsets": [begin, end] }, … }
/// data         every tensor's float32 values, little-endian, row-major, contiguous in state_dict order;
///              offsets are relative to the start of this section
/// </code>
/// Tensor names and shapes are those of the equivalent <c>torch.nn.Sequential</c>'s state_dict:
/// a Dense layer at index i is <c>nn.Linear</c> with "i.weight" (out, in) and "i.bias" (out); a PReLU is
/// <c>nn.PReLU</c> with "i.weight" (num_parameters); the other activations have no tensors.
/// In Python (pip install torch safetensors):
/// <code>
/// import json, torch
/// from safetensors import safe_open
/// from safetensors.torch import load_file
///
/// path = "model.safetensors"
/// with safe_open(path, framework="pt") as f:
///     arch = json.loads(f.metadata()["architecture"])
/// make = {"Dense": lambda s: torch.nn.Linear(s["in"], s["out"]),
///         "ReLU": lambda s: torch.nn.ReLU(),
///         "LeakyReLU": lambda s: torch.nn.LeakyReLU(s["slope"]),
///         "PReLU": lambda s: torch.nn.PReLU(s["numParameters"], s["slope"]),
///         "Sigmoid": lambda s: torch.nn.Sigmoid(),
///         "Tanh": lambda s: torch.nn.Tanh(),
///         "Identity": lambda s: torch.nn.Identity()}
/// model = torch.nn.Sequential(*(make[s["type"]](s) for s in arch))
/// model.load_state_dict(load_file(path))
/// </code>
/// The model takes scaled features: "engine_metadata" holds the feature scaler (x' = (x − offset)·scale),
/// the feature and class names and, for regression, the target scaler.
/// <see cref="Load"/> validates every size and offset before allocating and throws
/// <see cref="ModelFormatException"/> for anything that is not such a file.
/// </summary>
public static class Safetensors
{
    /// <summary>Largest header accepted (the reference implementation's limit).</summary>
    public const long MaxHeaderBytes = 100_000_000;

    /// <summary>The value of "format" in "__metadata__".</summary>
    public const string Format = "engine-mlp";

    private const string MetadataKey = "__metadata__";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() }, // column kinds in the schema
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        WriteIndented = false,
    };

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Saves <paramref name="model"/> and <paramref name="metadata"/> to <paramref name="path"/> as safetensors, atomically.</summary>
    public static void Save(string path, Sequential<float> model, ModelMetadata metadata)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(metadata);
        LayerSpec[] architecture = [.. model.Layers.Select(LayerSpec.Of)];
        var tensors = new List<(string Name, long[] Shape, Parameter<float> Parameter)>();
        for (int i = 0; i < model.Layers.Count; i++)
        {
            var layer = model.Layers[i];
            foreach (var p in layer.Parameters)
                tensors.Add(($"{i}.{p.Name}", [.. p.Shape], p));
        }

        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = Json.Encoder }))
        {
            writer.WriteStartObject();
            writer.WriteStartObject(MetadataKey);
            writer.WriteString("format", Format);
            writer.WriteString("architecture", JsonSerializer.Serialize(architecture, Json));
            writer.WriteString("engine_metadata", JsonSerializer.Serialize(metadata, Json));
            writer.WriteEndObject();
            long offset = 0;
            foreach (var (name, shape, p) in tensors)
            {
                long end = offset + (long)p.Length * sizeof(float);
                writer.WriteStartObject(name);
                writer.WriteString("dtype", "F32");
                writer.WriteStartArray("shape");
                foreach (long d in shape)
                    writer.WriteNumberValue(d);
                writer.WriteEndArray();
                writer.WriteStartArray("data_offsets");
                writer.WriteNumberValue(offset);
                writer.WriteNumberValue(end);
                writer.WriteEndArray();
                writer.WriteEndObject();
                offset = end;
            }
            writer.WriteEndObject();
        }
        int padded = (buffer.WrittenCount + 7) / 8 * 8; // the reference pads with spaces to 8-byte alignment
        byte[] header = new byte[padded];
        buffer.WrittenSpan.CopyTo(header);
        header.AsSpan(buffer.WrittenCount).Fill((byte)' ');

        AtomicFile.Write(path, stream =>
        {
            Span<byte> prefix = stackalloc byte[8];
            BinaryPrimitives.WriteUInt64LittleEndian(prefix, (ulong)header.Length);
            stream.Write(prefix);
            stream.Write(header);
            foreach (var (_, _, p) in tensors)
                WriteLittleEndian(stream, p.Value.AsSpan());
        });
    }

    /// <summary>Loads a file written by <see cref="Save"/>; throws <see cref="ModelFormatException"/> for anything else.</summary>
    public static (Sequential<float> Model, ModelMetadata Metadata) Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path))
            throw new FileNotFoundException($"{path}: model file not found.", path);
        ModelFormatException Problem(string what) => new(path, what);

        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        long length = stream.Length;
        if (length < 8)
            throw Problem($"file is {length} bytes, too short to be a safetensors file (truncated?).");
        Span<byte> prefix = stackalloc byte[8];
        ReadExactly(stream, prefix, Problem);
        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(prefix);
        if (headerLength > MaxHeaderBytes)
            throw Problem($"header length {headerLength} exceeds the {MaxHeaderBytes}-byte limit (not a safetensors file, or corrupted).");
        if (8 + (long)headerLength > length)
            throw Problem($"header length {headerLength} does not fit in a {length}-byte file (truncated or corrupted).");
        long dataLength = length - 8 - (long)headerLength;
        byte[] headerBytes = new byte[headerLength];
        ReadExactly(stream, headerBytes, Problem);

        var (architecture, metadata, tensors) = ParseHeader(headerBytes, Problem);
        var expected = ExpectedTensors(architecture, Problem);
        CheckTensors(tensors, expected, dataLength, Problem);

        Sequential<float> model;
        try
        {
            model = new Sequential<float>([.. architecture.Select(spec => spec.Create(Problem))]);
        }
        catch (ArgumentException e)
        {
            throw Problem($"inconsistent architecture: {e.Message}");
        }
        var parameters = model.NamedParameters.ToDictionary(np => np.Name, np => np.Parameter);
        if (parameters.Count != expected.Count || !expected.All(e => parameters.TryGetValue(e.Name, out var p) && p.Length == Elements(e.Shape)))
            throw Problem("the architecture's parameters do not match its tensors."); // unreachable unless LayerSpec changes

        foreach (var t in tensors.OrderBy(t => t.Begin))
        {
            var values = parameters[t.Name].Value.AsSpan();
            ReadExactly(stream, MemoryMarshal.AsBytes(values), Problem);
            if (!BitConverter.IsLittleEndian)
            {
                var bits = MemoryMarshal.Cast<float, int>(values);
                BinaryPrimitives.ReverseEndianness(bits, bits);
            }
        }
        ModelFile.CheckMetadata(metadata, model, Problem);
        return (model, metadata);
    }

    private sealed record TensorInfo(string Name, string DType, long[] Shape, long Begin, long End);

    // What the architecture needs, without allocating it: name and torch shape of every tensor, in state_dict order.
    private static List<(string Name, long[] Shape)> ExpectedTensors(LayerSpec[] architecture, Func<string, ModelFormatException> problem)
    {
        var expected = new List<(string Name, long[] Shape)>();
        for (int i = 0; i < architecture.Length; i++)
        {
            int layer = i;
            foreach (var (name, shape) in LayerRegistry.ParameterShapes(architecture[i], what => problem($"layer {layer}: {what}")))
                expected.Add(($"{i}.{name}", shape));
        }
        return expected;
    }

    private static (LayerSpec[] Architecture, ModelMetadata Metadata, List<TensorInfo> Tensors) ParseHeader(
        byte[] headerBytes, Func<string, ModelFormatException> problem)
    {
        try
        {
            StrictUtf8.GetCharCount(headerBytes);
        }
        catch (DecoderFallbackException)
        {
            throw problem("header is not valid UTF-8 (not a safetensors file, or corrupted).");
        }
        try
        {
            using var document = JsonDocument.Parse(headerBytes);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                throw problem("header is not a JSON object.");

            Dictionary<string, string>? meta = null;
            var tensors = new List<TensorInfo>();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var property in root.EnumerateObject())
            {
                if (!seen.Add(property.Name))
                    throw problem($"header lists '{property.Name}' twice.");
                if (property.Name == MetadataKey)
                    meta = ParseMetadataMap(property.Value, problem);
                else
                    tensors.Add(ParseTensor(property.Name, property.Value, problem));
            }
            if (meta is null)
                throw problem("header has no __metadata__: not written by Engine (the architecture is missing).");
            if (!meta.TryGetValue("format", out string? format) || format != Format)
                throw problem($"__metadata__ format is '{format}', not '{Format}': not written by Engine.");
            if (!meta.TryGetValue("architecture", out string? archText) || !meta.TryGetValue("engine_metadata", out string? metaText))
                throw problem("__metadata__ lacks 'architecture' or 'engine_metadata'.");

            var architecture = JsonSerializer.Deserialize<LayerSpec[]>(archText, Json);
            if (architecture is null || architecture.Length == 0 || architecture.Any(spec => spec is null))
                throw problem("architecture is empty or has a null layer.");
            var metadata = JsonSerializer.Deserialize<ModelMetadata>(metaText, Json)
                ?? throw problem("engine_metadata is null.");
            return (architecture, metadata, tensors);
        }
        catch (JsonException e)
        {
            throw problem($"header is not valid JSON ({e.Message}).");
        }
        catch (InvalidOperationException e)
        {
            // JsonElement.GetString on an escape that is no text, such as a lone UTF-16 surrogate "\ud800"
            throw problem($"header has a string that is not valid text ({e.Message}).");
        }
    }

    private static Dictionary<string, string> ParseMetadataMap(JsonElement element, Func<string, ModelFormatException> problem)
    {
        if (element.ValueKind != JsonValueKind.Object)
            throw problem("__metadata__ is not a JSON object.");
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var entry in element.EnumerateObject())
        {
            if (entry.Value.ValueKind != JsonValueKind.String)
                throw problem($"__metadata__ value '{entry.Name}' is not a string (safetensors metadata maps strings to strings).");
            if (!map.TryAdd(entry.Name, entry.Value.GetString()!))
                throw problem($"__metadata__ lists '{entry.Name}' twice.");
        }
        return map;
    }

    private static TensorInfo ParseTensor(string name, JsonElement element, Func<string, ModelFormatException> problem)
    {
        if (element.ValueKind != JsonValueKind.Object)
            throw problem($"tensor '{name}' is not a JSON object.");
        string? dtype = null;
        long[]? shape = null;
        long[]? offsets = null;
        foreach (var field in element.EnumerateObject())
        {
            switch (field.Name)
            {
                case "dtype" when dtype is null && field.Value.ValueKind == JsonValueKind.String:
                    dtype = field.Value.GetString()!;
                    break;
                case "shape" when shape is null:
                    shape = Integers(field.Value) ?? throw problem($"tensor '{name}' has a shape that is not a list of non-negative integers.");
                    break;
                case "data_offsets" when offsets is null:
                    offsets = Integers(field.Value) is [long begin, long end] ? [begin, end]
                        : throw problem($"tensor '{name}' has data_offsets that are not two non-negative integers.");
                    break;
                default:
                    throw problem($"tensor '{name}' has an unexpected or repeated field '{field.Name}'.");
            }
        }
        if (dtype is null || shape is null || offsets is null)
            throw problem($"tensor '{name}' lacks dtype, shape or data_offsets.");
        return new TensorInfo(name, dtype, shape, offsets[0], offsets[1]);
    }

    private static long[]? Integers(JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.Array || element.GetArrayLength() > 64)
            return null;
        var values = new long[element.GetArrayLength()];
        int i = 0;
        foreach (var item in element.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Number || !item.TryGetInt64(out long v) || v < 0)
                return null;
            values[i++] = v;
        }
        return values;
    }

    private static void CheckTensors(List<TensorInfo> tensors, List<(string Name, long[] Shape)> expected, long dataLength,
        Func<string, ModelFormatException> problem)
    {
        var shapes = expected.ToDictionary(e => e.Name, e => e.Shape, StringComparer.Ordinal);
        foreach (var t in tensors)
        {
            if (!shapes.TryGetValue(t.Name, out var shape))
                throw problem($"tensor '{t.Name}' is not a parameter of the architecture (it has {string.Join(", ", expected.Select(e => e.Name))}).");
            if (t.DType != "F32")
                throw problem($"tensor '{t.Name}' has dtype {t.DType}; only F32 is supported.");
            if (!t.Shape.AsSpan().SequenceEqual(shape))
                throw problem($"tensor '{t.Name}' has shape {FormatShape(t.Shape)} but the architecture needs {FormatShape(shape)}.");
            long elements = Elements(shape);
            if (t.End < t.Begin || t.End > dataLength || elements < 0 || t.End - t.Begin != elements * sizeof(float))
                throw problem($"tensor '{t.Name}' has data_offsets [{t.Begin}, {t.End}] but needs {FormatBytes(elements)} within a {dataLength}-byte data section.");
        }
        if (tensors.Count != expected.Count)
        {
            var missing = expected.Select(e => e.Name).Except(tensors.Select(t => t.Name));
            throw problem($"tensors missing from the header: {string.Join(", ", missing)}.");
        }
        long position = 0;
        foreach (var t in tensors.OrderBy(t => t.Begin))
        {
            if (t.Begin != position)
                throw problem($"tensor '{t.Name}' starts at byte {t.Begin} but the previous one ends at {position}: tensors must be contiguous and not overlap.");
            position = t.End;
        }
        if (position != dataLength)
            throw problem($"the tensors take {position} bytes but the data section is {dataLength} bytes (truncated, or trailing data).");
    }

    // Product of the dimensions, or -1 when the byte size would not fit a long.
    private static long Elements(long[] shape)
    {
        long n = 1;
        foreach (long d in shape)
        {
            if (d != 0 && n > long.MaxValue / sizeof(float) / d)
                return -1;
            n *= d;
        }
        return n;
    }

    private static string FormatBytes(long elements) => elements < 0 ? "more than 2^63 bytes" : $"{elements * sizeof(float)} bytes";

    private static string FormatShape(long[] shape) => $"[{string.Join(", ", shape)}]";

    private static void ReadExactly(Stream stream, Span<byte> buffer, Func<string, ModelFormatException> problem)
    {
        try
        {
            stream.ReadExactly(buffer);
        }
        catch (EndOfStreamException)
        {
            throw problem("file ended early (truncated while being read?).");
        }
    }

    private static void WriteLittleEndian(Stream stream, ReadOnlySpan<float> values)
    {
        if (BitConverter.IsLittleEndian)
        {
            stream.Write(MemoryMarshal.AsBytes(values));
            return;
        }
        Span<byte> one = stackalloc byte[sizeof(float)];
        foreach (float v in values)
        {
            BinaryPrimitives.WriteSingleLittleEndian(one, v);
            stream.Write(one);
        }
    }
}
