using System.Reflection;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Engine.Data;
using Engine.Layers;
using Engine.Serialization.OnnxProto;
using Google.Protobuf;

namespace Engine.Serialization;

/// <summary>
/// Export to ONNX (https://onnx.ai): one graph that reads the raw feature columns, does the model's preprocessing and
/// runs the network, so ONNX Runtime (and what stands on it, such as ML.NET's OnnxTransformer) scores CSV-like rows
/// with nothing else, as a scikit-learn pipeline converted by skl2onnx does:
/// <code>
/// inputs   one per feature column, named as in the CSV, in the CSV's order:
///          numeric column     float  [N, 1]   NaN = missing
///          categorical column string [N, 1]   "" (or NA, N/A, NaN, nan, null, None, ?) = missing
/// numeric  Concat → ai.onnx.ml Imputer (NaN → training median) → ai.onnx.ml Scaler ((x − offset)·scale)
///          missing indicators: IsNaN → Cast float → Gather (the columns that had missing values in training)
/// text     ai.onnx.ml LabelEncoder (level → its slot; a missing marker → the "missing" slot; anything else →
///          the "other" slot) → Equal with 0…slots−1 → Cast float: the one-hot block
/// network  Concat → per Dense a Gemm (transB = 1) → its activation (Relu, LeakyRelu, PRelu, Sigmoid, Tanh,
///          Identity, Elu, Selu; GELU as x·½(1 + erf(x/√2)) or its tanh form, SiLU as x·sigmoid(x))
/// outputs  classification: probabilities float [N, classes] (Softmax), label string [N] (the class name of
///          the largest probability: ArgMax → Gather); regression: variable float [N, 1] in the target's units
///          (the target scaler undone: y/scale + offset)
/// </code>
/// IR version 8 with opsets ai.onnx 17 (ONNX 1.12) and ai.onnx.ml 2: every op above exists there (LabelEncoder is
/// version 2, Imputer and Scaler version 1; ai.onnx.ml 3 only changed the tree ensembles, and releases of ONNX Runtime
/// before 1.12 warn that they support it partly), and ONNX Runtime runs such files from 1.12 (2022) on, so the
/// onnxruntime releases of the last years, and ML.NET's OnnxTransformer, which runs on them, load them.
/// The model's metadata (producer, version, task, target, class names, schema, encoding, architecture) is in the
/// file's <c>metadata_props</c>.
/// </summary>
/// <remarks>
/// A text value is missing when it is the empty string or one of <see cref="TableOptions.DefaultNaValues"/>, as when
/// predicting from named values; a level the model never saw, or saw too rarely to keep, takes the "other" slot.
/// Dropped columns are not inputs. The protobuf messages are compiled from a subset of onnx.proto
/// (Serialization/Onnx/onnx-subset.proto) by Grpc.Tools and written by Google.Protobuf.
/// </remarks>
public static class OnnxExporter
{
    /// <summary>The ONNX IR version written (8: ONNX 1.10–1.12).</summary>
    public const long IrVersion = 8;

    /// <summary>The ai.onnx opset imported.</summary>
    public const long Opset = 17;

    /// <summary>The ai.onnx.ml opset imported (Imputer, Scaler, LabelEncoder).</summary>
    public const long MlOpset = 2;

    /// <summary>The output holding class probabilities, float [N, classes] (classification).</summary>
    public const string ProbabilitiesOutput = "probabilities";

    /// <summary>The output holding the predicted class name, string [N] (classification).</summary>
    public const string LabelOutput = "label";

    /// <summary>The output holding the predicted value in the target's units, float [N, 1] (regression).</summary>
    public const string VariableOutput = "variable";

    /// <summary>The text a missing categorical value is given as (the markers of <see cref="TableOptions.DefaultNaValues"/> count too).</summary>
    public const string MissingText = "";

    private const string MlDomain = "ai.onnx.ml";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter() },
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>
    /// Writes <paramref name="network"/> with the preprocessing <paramref name="metadata"/> describes to
    /// <paramref name="path"/> as an ONNX model, atomically.
    /// </summary>
    /// <exception cref="ArgumentException">The network and metadata do not fit together.</exception>
    /// <exception cref="NotSupportedException">The network has a layer type the exporter does not know, or a feature column has an output's name.</exception>
    public static void Save(string path, Sequential<float> network, ModelMetadata metadata)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var model = Build(network, metadata);
        AtomicFile.Write(path, model.WriteTo);
    }

    /// <summary>The ONNX model as bytes (what <see cref="Save"/> writes).</summary>
    public static byte[] ToBytes(Sequential<float> network, ModelMetadata metadata) => Build(network, metadata).ToByteArray();

    internal static ModelProto Build(Sequential<float> network, ModelMetadata metadata)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(metadata);
        var encoding = metadata.EffectiveEncoding;
        bool classification = metadata.Task == TaskKind.Classification;
        if (classification && metadata.ClassNames is not { Length: > 0 })
            throw new ArgumentException("A classification model needs its class names to be exported.", nameof(metadata));
        string[] outputs = classification ? [ProbabilitiesOutput, LabelOutput] : [VariableOutput];
        foreach (var column in encoding.Columns)
        {
            if (outputs.Contains(column.Name, StringComparer.Ordinal))
                throw new NotSupportedException($"The feature column '{column.Name}' has the name of an ONNX output ({string.Join(", ", outputs)}); rename the column and train again to export.");
        }

        var g = new GraphBuilder([.. encoding.Columns.Select(c => c.Name), .. outputs]);
        string features = Preprocess(g, encoding, metadata);
        string result = Network(g, network, features, encoding.Width);
        if (classification)
            Classify(g, result, metadata.ClassNames!);
        else
            Unscale(g, result, metadata.TargetScaler);

        var graph = g.Graph;
        graph.Name = "engine_mlp";
        graph.DocString = "Raw feature columns in (numeric: float [N,1], NaN = missing; text: string [N,1], \"\" = missing), "
            + (classification ? "class probabilities and label out." : "the predicted value in the target's units out.");
        foreach (var column in InputOrder(encoding, metadata.Schema))
        {
            bool numeric = column.Kind == ColumnKind.Numeric;
            graph.Input.Add(ValueInfo(column.Name, numeric ? TensorProto.Types.DataType.Float : TensorProto.Types.DataType.String, ["N", 1L],
                numeric ? "numeric; NaN is a missing value" : $"text; \"\" or a missing-value marker is a missing value; {column.Levels!.Length} known levels, any other value counts as 'other'"));
        }
        if (classification)
        {
            graph.Output.Add(ValueInfo(ProbabilitiesOutput, TensorProto.Types.DataType.Float, ["N", (long)metadata.ClassNames!.Length], "class probabilities, in the order of the class_names metadata"));
            graph.Output.Add(ValueInfo(LabelOutput, TensorProto.Types.DataType.String, ["N"], "the class with the largest probability"));
        }
        else
        {
            graph.Output.Add(ValueInfo(VariableOutput, TensorProto.Types.DataType.Float, ["N", 1L], $"predicted {metadata.TargetName}"));
        }

        string version = Version();
        var model = new ModelProto
        {
            IrVersion = IrVersion,
            ProducerName = "Engine",
            ProducerVersion = version,
            ModelVersion = 1,
            DocString = $"MLP trained by Engine to predict '{metadata.TargetName}' ({metadata.Task.ToString().ToLowerInvariant()}).",
            Graph = graph,
        };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = Opset });
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = MlDomain, Version = MlOpset });
        void Meta(string key, string value) => model.MetadataProps.Add(new StringStringEntryProto { Key = key, Value = value });
        Meta("producer", "Engine");
        Meta("version", version);
        Meta("task", metadata.Task.ToString().ToLowerInvariant());
        Meta("target", metadata.TargetName);
        if (metadata.ClassNames is not null)
            Meta("class_names", JsonSerializer.Serialize(metadata.ClassNames, Json));
        if (metadata.Schema is not null)
            Meta("schema", JsonSerializer.Serialize(metadata.Schema, Json));
        Meta("encoding", JsonSerializer.Serialize(encoding, Json));
        Meta("missing_text", JsonSerializer.Serialize(MissingMarkers(), Json));
        Meta("architecture", JsonSerializer.Serialize(network.Layers.Select(LayerSpec.Of).ToArray(), Json));
        Meta("engine_metadata", JsonSerializer.Serialize(metadata, Json));
        return model;
    }

    // The graph's inputs: the encoded columns in the CSV's order when the schema gives it, else numeric first.
    private static IEnumerable<ColumnEncoding> InputOrder(TableEncoding encoding, ColumnSchema[]? schema)
    {
        if (schema is null)
            return encoding.Columns;
        var position = schema.Select((c, i) => (c.Name, i)).GroupBy(p => p.Name, StringComparer.Ordinal).ToDictionary(p => p.Key, p => p.First().i, StringComparer.Ordinal);
        return encoding.Columns.Select((c, i) => (c, i)).OrderBy(p => position.TryGetValue(p.c.Name, out int at) ? at : int.MaxValue).ThenBy(p => p.i).Select(p => p.c);
    }

    private static string[] MissingMarkers() => [.. new[] { MissingText }.Concat(TableOptions.DefaultNaValues).Distinct(StringComparer.Ordinal)];

    // The network's input [N, width]: imputed and scaled numbers, missing indicators, one-hot blocks.
    private static string Preprocess(GraphBuilder g, TableEncoding encoding, ModelMetadata metadata)
    {
        var parts = new List<string>();
        var numeric = encoding.Numeric.ToArray();
        if (numeric.Length > 0)
        {
            string raw = g.Node("Concat", [.. numeric.Select(c => c.Name)], "numeric", a => a.Add(Int("axis", 1)));
            string imputed = g.Node("Imputer", [raw], "imputed", a =>
            {
                a.Add(Floats("imputed_value_floats", numeric.Select(c => c.Median)));
                a.Add(Float("replaced_value_float", float.NaN));
            }, MlDomain);
            string scaled = imputed;
            if (metadata.FeatureScaler is { } s)
            {
                if (s.Offset.Length != numeric.Length || s.Scale.Length != numeric.Length)
                    throw new ArgumentException($"The feature scaler has {s.Offset.Length} columns but the model has {numeric.Length} numeric columns.", nameof(metadata));
                scaled = g.Node("Scaler", [imputed], "scaled", a =>
                {
                    a.Add(Floats("offset", s.Offset));
                    a.Add(Floats("scale", s.Scale));
                }, MlDomain);
            }
            // Imputer and Scaler have no type inference in the ONNX checker: declare their outputs, so strict shape
            // inference (onnx.checker full_check) types the whole graph.
            g.Graph.ValueInfo.Add(ValueInfo(imputed, TensorProto.Types.DataType.Float, ["N", (long)numeric.Length], "imputed numeric columns"));
            if (scaled != imputed)
                g.Graph.ValueInfo.Add(ValueInfo(scaled, TensorProto.Types.DataType.Float, ["N", (long)numeric.Length], "scaled numeric columns"));
            parts.Add(scaled);
            long[] indicators = [.. numeric.Select((c, j) => (c, j)).Where(p => p.c.Indicator).Select(p => (long)p.j)];
            if (indicators.Length > 0)
            {
                string isNan = g.Node("IsNaN", [raw], "is_missing");
                string asFloat = g.Node("Cast", [isNan], "is_missing_float", a => a.Add(Int("to", (long)TensorProto.Types.DataType.Float)));
                string columns = g.Constant("indicator_columns", Int64s([indicators.Length], indicators));
                parts.Add(g.Node("Gather", [asFloat, columns], "indicators", a => a.Add(Int("axis", 1))));
            }
        }
        string[] markers = MissingMarkers();
        foreach (var column in encoding.Categorical)
        {
            string[] levels = column.Levels ?? [];
            int other = levels.Length, missing = levels.Length + 1;
            // Level → slot; a missing marker → "missing" (it wins over a level spelt the same, as in Predict); else "other".
            var keys = levels.Select((level, k) => (Key: level, Slot: (long)k)).Where(p => !markers.Contains(p.Key, StringComparer.Ordinal))
                .Concat(markers.Select(m => (Key: m, Slot: (long)missing))).ToArray();
            string slot = g.Node("LabelEncoder", [column.Name], $"{column.Name}_slot", a =>
            {
                a.Add(Strings("keys_strings", keys.Select(p => p.Key)));
                a.Add(Ints("values_int64s", keys.Select(p => p.Slot)));
                a.Add(Int("default_int64", other));
            }, MlDomain);
            string range = g.Constant($"{column.Name}_slots", Int64s([column.Slots], [.. Enumerable.Range(0, column.Slots).Select(k => (long)k)]));
            string hot = g.Node("Equal", [slot, range], $"{column.Name}_is_slot"); // [N, 1] vs [slots] → [N, slots]
            parts.Add(g.Node("Cast", [hot], $"{column.Name}_onehot", a => a.Add(Int("to", (long)TensorProto.Types.DataType.Float))));
        }
        if (parts.Count == 0)
            throw new ArgumentException("The model reads no feature columns.", nameof(metadata));
        return parts.Count == 1 ? parts[0] : g.Node("Concat", [.. parts], "features", a => a.Add(Int("axis", 1)));
    }

    // The layers, in order: a Gemm per Dense, the ops of each activation.
    private static string Network(GraphBuilder g, Sequential<float> network, string x, int width)
    {
        if (network.Layers.Count == 0)
            throw new ArgumentException("The network has no layers.", nameof(network));
        int features = width;
        for (int i = 0; i < network.Layers.Count; i++)
        {
            var layer = network.Layers[i] is OneHotDense<float> lookup ? lookup.Dense : network.Layers[i]; // saved, and exported, as its Dense
            string at = $"{i}";
            switch (layer)
            {
                case Dense<float> dense:
                    if (dense.InFeatures != features)
                        throw new ArgumentException($"Layer {i} (Dense) takes {dense.InFeatures} inputs but gets {features} (the encoding is {width} wide).", nameof(network));
                    string w = g.Constant($"{at}.weight", Floats32([dense.OutFeatures, dense.InFeatures], dense.Weight.Value.AsSpan())); // (out, in)
                    string b = g.Constant($"{at}.bias", Floats32([dense.OutFeatures], dense.Bias.Value.AsSpan()));
                    x = g.Node("Gemm", [x, w, b], $"{at}.linear", a => a.Add(Int("transB", 1))); // Y = X·Wᵀ + b
                    features = dense.OutFeatures;
                    break;
                case ReLU<float>:
                    x = g.Node("Relu", [x], $"{at}.relu");
                    break;
                case LeakyReLU<float> leaky:
                    x = g.Node("LeakyRelu", [x], $"{at}.leaky_relu", a => a.Add(Float("alpha", (float)leaky.NegativeSlope)));
                    break;
                case PReLU<float> prelu:
                    string slope = g.Constant($"{at}.weight", Floats32([prelu.NumParameters], prelu.Slope.Value.AsSpan()));
                    x = g.Node("PRelu", [x, slope], $"{at}.prelu");
                    break;
                case Sigmoid<float>:
                    x = g.Node("Sigmoid", [x], $"{at}.sigmoid");
                    break;
                case Tanh<float>:
                    x = g.Node("Tanh", [x], $"{at}.tanh");
                    break;
                case Identity<float>:
                    x = g.Node("Identity", [x], $"{at}.identity");
                    break;
                case ELU<float>:
                    x = g.Node("Elu", [x], $"{at}.elu", a => a.Add(Float("alpha", (float)ELU<float>.Alpha)));
                    break;
                case SELU<float>:
                    x = g.Node("Selu", [x], $"{at}.selu", a =>
                    {
                        a.Add(Float("alpha", (float)SELU<float>.Alpha));
                        a.Add(Float("gamma", (float)SELU<float>.Lambda));
                    });
                    break;
                case GELU<float> gelu:
                    x = Gelu(g, x, at, gelu.ApproximateTanh);
                    break;
                case SiLU<float>:
                    x = g.Node("Mul", [x, g.Node("Sigmoid", [x], $"{at}.sigmoid")], $"{at}.silu"); // x·σ(x)
                    break;
                default:
                    throw new NotSupportedException($"Layer {i} ({layer.Name}) has no ONNX form in this exporter.");
            }
        }
        return x;
    }

    // Exact: y = x·½(1 + erf(x/√2)); tanh form: y = x·½(1 + tanh(√(2/π)(x + 0.044715x³))).
    private static string Gelu(GraphBuilder g, string x, string at, bool approximateTanh)
    {
        string half = g.Constant($"{at}.half", Scalar(0.5f));
        string one = g.Constant($"{at}.one", Scalar(1f));
        string inner;
        if (approximateTanh)
        {
            string cube = g.Node("Mul", [x, g.Node("Mul", [x, x], $"{at}.x2")], $"{at}.x3");
            string cubic = g.Node("Mul", [cube, g.Constant($"{at}.cubic", Scalar(0.044715f))], $"{at}.cubic_term");
            string u = g.Node("Mul", [g.Node("Add", [x, cubic], $"{at}.poly"), g.Constant($"{at}.sqrt_2_over_pi", Scalar((float)Math.Sqrt(2 / Math.PI)))], $"{at}.u");
            inner = g.Node("Tanh", [u], $"{at}.tanh");
        }
        else
        {
            string scaled = g.Node("Mul", [x, g.Constant($"{at}.inv_sqrt2", Scalar((float)(1 / Math.Sqrt(2))))], $"{at}.x_over_sqrt2");
            inner = g.Node("Erf", [scaled], $"{at}.erf");
        }
        string cdf = g.Node("Mul", [g.Node("Add", [inner, one], $"{at}.one_plus"), half], $"{at}.cdf");
        return g.Node("Mul", [x, cdf], $"{at}.gelu");
    }

    private static void Classify(GraphBuilder g, string logits, string[] classNames)
    {
        g.Node("Softmax", [logits], ProbabilitiesOutput, a => a.Add(Int("axis", 1)), exactName: true);
        string index = g.Node("ArgMax", [ProbabilitiesOutput], "class_index", a =>
        {
            a.Add(Int("axis", 1));
            a.Add(Int("keepdims", 0));
        }); // the first of equal maxima, as Predict's IndexOfMax
        string names = g.Constant("class_names", StringTensor(classNames));
        g.Node("Gather", [names, index], LabelOutput, a => a.Add(Int("axis", 0)), exactName: true);
    }

    private static void Unscale(GraphBuilder g, string y, ScalerState? target)
    {
        if (target is null)
        {
            g.Node("Identity", [y], VariableOutput, exactName: true);
            return;
        }
        // y / scale + offset, as Scaler.InverseTransform
        string divided = g.Node("Div", [y, g.Constant("target_scale", Floats32([target.Scale.Length], target.Scale))], "target_divided");
        g.Node("Add", [divided, g.Constant("target_offset", Floats32([target.Offset.Length], target.Offset))], VariableOutput, exactName: true);
    }

    private static string Version()
    {
        var assembly = typeof(OnnxExporter).Assembly;
        string? informational = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
        return informational?.Split('+')[0] ?? assembly.GetName().Version?.ToString() ?? "0";
    }

    // ---- protobuf helpers ----

    private static ValueInfoProto ValueInfo(string name, TensorProto.Types.DataType type, object[] shape, string doc)
    {
        var tensor = new TypeProto.Types.Tensor { ElemType = (int)type, Shape = new TensorShapeProto() };
        foreach (object d in shape)
        {
            tensor.Shape.Dim.Add(d is string param
                ? new TensorShapeProto.Types.Dimension { DimParam = param }
                : new TensorShapeProto.Types.Dimension { DimValue = (long)d });
        }
        return new ValueInfoProto { Name = name, Type = new TypeProto { TensorType = tensor }, DocString = doc };
    }

    private static TensorProto Floats32(long[] dims, ReadOnlySpan<float> values)
    {
        var t = new TensorProto { DataType = (int)TensorProto.Types.DataType.Float };
        t.Dims.AddRange(dims);
        t.FloatData.AddRange(values.ToArray());
        return t;
    }

    private static TensorProto Scalar(float value) => Floats32([], [value]);

    private static TensorProto Int64s(long[] dims, long[] values)
    {
        var t = new TensorProto { DataType = (int)TensorProto.Types.DataType.Int64 };
        t.Dims.AddRange(dims);
        t.Int64Data.AddRange(values);
        return t;
    }

    private static TensorProto StringTensor(string[] values)
    {
        var t = new TensorProto { DataType = (int)TensorProto.Types.DataType.String };
        t.Dims.Add(values.Length);
        t.StringData.AddRange(values.Select(ByteString.CopyFromUtf8));
        return t;
    }

    private static AttributeProto Int(string name, long value) => new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

    private static AttributeProto Float(string name, float value) => new() { Name = name, Type = AttributeProto.Types.AttributeType.Float, F = value };

    private static AttributeProto Floats(string name, IEnumerable<float> values)
    {
        var a = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Floats };
        a.Floats.AddRange(values);
        return a;
    }

    private static AttributeProto Ints(string name, IEnumerable<long> values)
    {
        var a = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        a.Ints.AddRange(values);
        return a;
    }

    private static AttributeProto Strings(string name, IEnumerable<string> values)
    {
        var a = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Strings };
        a.Strings.AddRange(values.Select(ByteString.CopyFromUtf8));
        return a;
    }

    /// <summary>Nodes and initializers in topological order, every value name unique and none taken from a column or an output.</summary>
    private sealed class GraphBuilder(IEnumerable<string> reserved)
    {
        private readonly HashSet<string> _names = new(reserved, StringComparer.Ordinal);

        public GraphProto Graph { get; } = new();

        // A fresh value name like `wanted` (suffixed when taken).
        private string Fresh(string wanted)
        {
            string name = wanted;
            for (int k = 1; !_names.Add(name); k++)
                name = $"{wanted}_{k}";
            return name;
        }

        public string Constant(string wanted, TensorProto value)
        {
            value.Name = Fresh(wanted);
            Graph.Initializer.Add(value);
            return value.Name;
        }

        // Adds a node with one output, named `output` as given (exactName: a graph output) or made unique from it.
        public string Node(string op, string[] inputs, string output, Action<ICollection<AttributeProto>>? attributes = null, string domain = "",
            bool exactName = false)
        {
            string name = exactName ? output : Fresh(output);
            var node = new NodeProto { OpType = op, Domain = domain, Name = $"{op}_{Graph.Node.Count}" };
            node.Input.AddRange(inputs);
            node.Output.Add(name);
            attributes?.Invoke(node.Attribute);
            Graph.Node.Add(node);
            return name;
        }
    }
}
