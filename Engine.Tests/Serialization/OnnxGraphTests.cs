using System.Reflection;
using System.Text.Json;
using Engine.Serialization.OnnxProto;
using Engine.Tests.Training;

namespace Engine.Tests.Serialization;

/// <summary>
/// The exported ONNX graph node by node, against a graph written out by hand from the documented layout
/// (<see cref="OnnxExporter"/>'s summary): op types, inputs, outputs, attributes, initializer values (the network's
/// own weights, row-major (out, in)), value names made unique, input and output types and shapes, doc strings and
/// metadata_props; and the exporter's refusals, word for word. The runtime tests (OnnxExportTests) check that such
/// graphs compute what Predict does; these check what is in the file.
/// </summary>
public sealed class OnnxGraphTests() : TempDirectoryTests("engine-onnx-graph-")
{
    private static readonly string[] Markers = ["", "NA", "N/A", "NaN", "nan", "null", "None", "?"];

    // numeric a (median 1.5, has an indicator), numeric b (median −2), text c (levels x, NA, y): 2 + 1 + (3 + 2) = 8 inputs
    private static TableEncoding MixedEncoding() => new(
    [
        new ColumnEncoding("a", ColumnKind.Numeric, 1.5f, Indicator: true),
        new ColumnEncoding("b", ColumnKind.Numeric, -2f),
        new ColumnEncoding("c", ColumnKind.Categorical, Levels: ["x", "NA", "y"]),
    ], MinLevelCount: 1);

    private static ColumnSchema Schema(string name, ColumnKind kind) => new(name, kind, 0, 3, [], kind == ColumnKind.Numeric ? "numbers" : "text");

    private static ModelMetadata MixedClassification() => new(TaskKind.Classification, ["a", "b", "c"], "y", ["p", "q", "r"],
        new ScalerState("standard", [0.5f, 1f], [2f, 0.25f]))
    {
        Encoding = MixedEncoding(),
        // the CSV's order: c, then a dropped column, then b, then a
        Schema = [Schema("c", ColumnKind.Categorical), Schema("id", ColumnKind.Dropped), Schema("b", ColumnKind.Numeric), Schema("a", ColumnKind.Numeric)],
    };

    private static Sequential<float> Network(params Layer<float>[] layers)
    {
        var network = new Sequential<float>(layers);
        network.Initialize(seed: 3);
        return network;
    }

    private static ModelProto Export(Sequential<float> network, ModelMetadata metadata) => ModelProto.Parser.ParseFrom(OnnxExporter.ToBytes(network, metadata));

    private static string Describe(AttributeProto a) => a.Type switch
    {
        AttributeProto.Types.AttributeType.Int => $"{a.Name}={a.I}",
        AttributeProto.Types.AttributeType.Float => $"{a.Name}={a.F.ToString("R", CultureInfo.InvariantCulture)}",
        AttributeProto.Types.AttributeType.Floats => $"{a.Name}=[{string.Join(",", a.Floats.Select(f => f.ToString("R", CultureInfo.InvariantCulture)))}]",
        AttributeProto.Types.AttributeType.Ints => $"{a.Name}=[{string.Join(",", a.Ints)}]",
        AttributeProto.Types.AttributeType.Strings => $"{a.Name}=[{string.Join(",", a.Strings.Select(s => "'" + s.ToStringUtf8() + "'"))}]",
        _ => $"{a.Name}:{a.Type}",
    };

    // "name domain (inputs) -> output {attributes}"
    private static string[] Nodes(ModelProto model) =>
        [.. model.Graph.Node.Select((n, k) => $"{(n.Name == $"{n.OpType}_{k}" ? n.Name : $"{n.OpType} named {n.Name}")} {n.Domain} ({string.Join(", ", n.Input)}) -> {string.Join(", ", n.Output)} {{{string.Join("; ", n.Attribute.Select(Describe))}}}")];

    private static TensorProto Initializer(ModelProto model, string name) => Assert.Single(model.Graph.Initializer, t => t.Name == name);

    private static string Shape(ValueInfoProto v) =>
        $"{(TensorProto.Types.DataType)v.Type.TensorType.ElemType}[{string.Join(",", v.Type.TensorType.Shape.Dim.Select(d => d.HasDimParam ? d.DimParam : d.DimValue.ToString(CultureInfo.InvariantCulture)))}]";

    [Fact]
    public void AMixedClassificationGraphIsTheDocumentedOne()
    {
        var network = Network(new Dense<float>(8, 4), new ReLU<float>(), new Dense<float>(4, 3));
        var metadata = MixedClassification();
        var model = Export(network, metadata);

        // level "NA" is a missing marker: it maps to the "missing" slot (4), not to its own (1); anything else → "other" (3)
        string keys = string.Join(",", new[] { "x", "y" }.Concat(Markers).Select(k => $"'{k}'"));
        string values = string.Join(",", new long[] { 0, 2 }.Concat(Markers.Select(_ => 4L)));
        Assert.Equal(
        [
            "Concat_0  (a, b) -> numeric {axis=1}",
            "Imputer_1 ai.onnx.ml (numeric) -> imputed {imputed_value_floats=[1.5,-2]; replaced_value_float=NaN}",
            "Scaler_2 ai.onnx.ml (imputed) -> scaled {offset=[0.5,1]; scale=[2,0.25]}",
            "IsNaN_3  (numeric) -> is_missing {}",
            "Cast_4  (is_missing) -> is_missing_float {to=1}",
            "Gather_5  (is_missing_float, indicator_columns) -> indicators {axis=1}",
            $"LabelEncoder_6 ai.onnx.ml (c) -> c_slot {{keys_strings=[{keys}]; values_int64s=[{values}]; default_int64=3}}",
            "Equal_7  (c_slot, c_slots) -> c_is_slot {}",
            "Cast_8  (c_is_slot) -> c_onehot {to=1}",
            "Concat_9  (scaled, indicators, c_onehot) -> features {axis=1}",
            "Gemm_10  (features, 0.weight, 0.bias) -> 0.linear {transB=1}",
            "Relu_11  (0.linear) -> 1.relu {}",
            "Gemm_12  (1.relu, 2.weight, 2.bias) -> 2.linear {transB=1}",
            "Softmax_13  (2.linear) -> probabilities {axis=1}",
            "ArgMax_14  (probabilities) -> class_index {axis=1; keepdims=0}",
            "Gather_15  (class_names, class_index) -> label {axis=0}",
        ], Nodes(model));

        Assert.Equal(["indicator_columns", "c_slots", "0.weight", "0.bias", "2.weight", "2.bias", "class_names"], model.Graph.Initializer.Select(t => t.Name));
        var indicatorColumns = Initializer(model, "indicator_columns");
        Assert.Equal((int)TensorProto.Types.DataType.Int64, indicatorColumns.DataType);
        Assert.Equal([1L], indicatorColumns.Dims);
        Assert.Equal([0L], indicatorColumns.Int64Data); // column a, the first numeric one
        var slots = Initializer(model, "c_slots");
        Assert.Equal([5L], slots.Dims);
        Assert.Equal([0L, 1, 2, 3, 4], slots.Int64Data);
        var names = Initializer(model, "class_names");
        Assert.Equal((int)TensorProto.Types.DataType.String, names.DataType);
        Assert.Equal([3L], names.Dims);
        Assert.Equal(["p", "q", "r"], names.StringData.Select(s => s.ToStringUtf8()));
        foreach (int layer in new[] { 0, 2 })
        {
            var dense = (Dense<float>)network.Layers[layer];
            var weight = Initializer(model, $"{layer}.weight");
            Assert.Equal((int)TensorProto.Types.DataType.Float, weight.DataType);
            Assert.Equal([(long)dense.OutFeatures, dense.InFeatures], weight.Dims);
            for (int o = 0; o < dense.OutFeatures; o++)
            {
                for (int i = 0; i < dense.InFeatures; i++)
                    Assert.Equal(dense.Weight.Value[o, i], weight.FloatData[o * dense.InFeatures + i]);
            }
            var bias = Initializer(model, $"{layer}.bias");
            Assert.Equal([(long)dense.OutFeatures], bias.Dims);
            Assert.Equal(dense.Bias.Value.AsSpan().ToArray(), bias.FloatData);
        }

        // inputs in the schema's (the CSV's) order, the dropped column left out
        Assert.Equal(["c", "b", "a"], model.Graph.Input.Select(i => i.Name));
        Assert.Equal(["String[N,1]", "Float[N,1]", "Float[N,1]"], model.Graph.Input.Select(Shape));
        Assert.Equal(
        [
            "text; \"\" or a missing-value marker is a missing value; 3 known levels, any other value counts as 'other'",
            "numeric; NaN is a missing value",
            "numeric; NaN is a missing value",
        ], model.Graph.Input.Select(i => i.DocString));
        Assert.Equal(["probabilities", "label"], model.Graph.Output.Select(o => o.Name));
        Assert.Equal(["Float[N,3]", "String[N]"], model.Graph.Output.Select(Shape));
        Assert.Equal(["class probabilities, in the order of the class_names metadata", "the class with the largest probability"], model.Graph.Output.Select(o => o.DocString));
        Assert.Equal(["imputed", "scaled"], model.Graph.ValueInfo.Select(v => v.Name));
        Assert.Equal(["Float[N,2]", "Float[N,2]"], model.Graph.ValueInfo.Select(Shape));
        Assert.Equal(["imputed numeric columns", "scaled numeric columns"], model.Graph.ValueInfo.Select(v => v.DocString));

        Assert.Equal("engine_mlp", model.Graph.Name);
        Assert.Equal("Raw feature columns in (numeric: float [N,1], NaN = missing; text: string [N,1], \"\" = missing), class probabilities and label out.", model.Graph.DocString);
        Assert.Equal("MLP trained by Engine to predict 'y' (classification).", model.DocString);
        Assert.Equal("Engine", model.ProducerName);
        Assert.Equal(1, model.ModelVersion);

        // metadata_props: the documented keys, in order, with values read back independently
        Assert.Equal(["producer", "version", "task", "target", "class_names", "schema", "encoding", "missing_text", "architecture", "engine_metadata"],
            model.MetadataProps.Select(p => p.Key));
        var meta = model.MetadataProps.ToDictionary(p => p.Key, p => p.Value);
        Assert.Equal("Engine", meta["producer"]);
        Assert.Equal(model.ProducerVersion, meta["version"]);
        Assert.Equal("classification", meta["task"]);
        Assert.Equal("y", meta["target"]);
        Assert.Equal("""["p","q","r"]""", meta["class_names"]);
        using (var schema = JsonDocument.Parse(meta["schema"]))
            Assert.Equal(["c", "id", "b", "a"], schema.RootElement.EnumerateArray().Select(c => c.GetProperty("name").GetString()));
        using (var encoding = JsonDocument.Parse(meta["encoding"]))
        {
            Assert.Equal(["a", "b", "c"], encoding.RootElement.GetProperty("columns").EnumerateArray().Select(c => c.GetProperty("name").GetString()));
            Assert.Equal(["x", "NA", "y"], encoding.RootElement.GetProperty("columns")[2].GetProperty("levels").EnumerateArray().Select(l => l.GetString()));
        }
        Assert.Equal("""["","NA","N/A","NaN","nan","null","None","?"]""", meta["missing_text"]);
        using (var architecture = JsonDocument.Parse(meta["architecture"]))
        {
            Assert.Equal(["Dense", "ReLU", "Dense"], architecture.RootElement.EnumerateArray().Select(l => l.GetProperty("type").GetString()));
            Assert.Equal(8, architecture.RootElement[0].GetProperty("in").GetInt32());
            Assert.Equal(3, architecture.RootElement[2].GetProperty("out").GetInt32());
        }
        using (var engine = JsonDocument.Parse(meta["engine_metadata"]))
        {
            Assert.Equal("classification", engine.RootElement.GetProperty("task").GetString());
            Assert.Equal("y", engine.RootElement.GetProperty("targetName").GetString());
            Assert.Equal(2f, engine.RootElement.GetProperty("featureScaler").GetProperty("scale")[0].GetSingle());
        }
    }

    [Fact]
    public void TheProducerVersionIsTheBuildsInformationalVersionWithoutItsCommit()
    {
        string informational = typeof(OnnxExporter).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()!.InformationalVersion;
        var model = Export(Network(new Dense<float>(2, 2)), new ModelMetadata(TaskKind.Classification, ["a", "b"], "y", ["p", "q"]));
        Assert.Equal(informational.Split('+')[0], model.ProducerVersion);
        Assert.DoesNotContain('+', model.ProducerVersion);
        Assert.Equal(3, model.ProducerVersion.Split('.').Length); // 0.1.0 from Directory.Build.props, not the 4-part assembly version
    }

    [Fact]
    public void RegressionUndoesTheTargetScalerWithDivAndAdd()
    {
        var network = Network(new Dense<float>(2, 3), new Tanh<float>(), new Dense<float>(3, 1));
        var metadata = new ModelMetadata(TaskKind.Regression, ["a", "b"], "price", null,
            new ScalerState("standard", [1f, 2f], [3f, 4f]), new ScalerState("standard", [100f], [0.125f]));
        var model = Export(network, metadata);
        Assert.Equal(
        [
            "Concat_0  (a, b) -> numeric {axis=1}",
            "Imputer_1 ai.onnx.ml (numeric) -> imputed {imputed_value_floats=[1,2]; replaced_value_float=NaN}", // an old file: the offsets impute
            "Scaler_2 ai.onnx.ml (imputed) -> scaled {offset=[1,2]; scale=[3,4]}",
            "Gemm_3  (scaled, 0.weight, 0.bias) -> 0.linear {transB=1}", // one part: no Concat of the parts
            "Tanh_4  (0.linear) -> 1.tanh {}",
            "Gemm_5  (1.tanh, 2.weight, 2.bias) -> 2.linear {transB=1}",
            "Div_6  (2.linear, target_scale) -> target_divided {}",
            "Add_7  (target_divided, target_offset) -> variable {}",
        ], Nodes(model));
        Assert.Equal([0.125f], Initializer(model, "target_scale").FloatData);
        Assert.Equal([1L], Initializer(model, "target_scale").Dims);
        Assert.Equal([100f], Initializer(model, "target_offset").FloatData);
        Assert.Equal(["a", "b"], model.Graph.Input.Select(i => i.Name)); // no schema: the encoding's order
        Assert.Equal(["variable"], model.Graph.Output.Select(o => o.Name));
        Assert.Equal(["Float[N,1]"], model.Graph.Output.Select(Shape));
        Assert.Equal("predicted price", model.Graph.Output[0].DocString);
        Assert.Equal("Raw feature columns in (numeric: float [N,1], NaN = missing; text: string [N,1], \"\" = missing), the predicted value in the target's units out.", model.Graph.DocString);
        Assert.Equal("MLP trained by Engine to predict 'price' (regression).", model.DocString);
        var meta = model.MetadataProps.ToDictionary(p => p.Key, p => p.Value);
        Assert.Equal("regression", meta["task"]);
        Assert.False(meta.ContainsKey("class_names"));
        Assert.False(meta.ContainsKey("schema"));
    }

    [Fact]
    public void RegressionWithoutATargetScalerEndsInIdentity()
    {
        var metadata = new ModelMetadata(TaskKind.Regression, ["a"], "y") { Encoding = new([new ColumnEncoding("a", ColumnKind.Numeric, 0.25f)], 1) };
        var model = Export(Network(new Dense<float>(1, 1)), metadata);
        Assert.Equal(
        [
            "Concat_0  (a) -> numeric {axis=1}",
            "Imputer_1 ai.onnx.ml (numeric) -> imputed {imputed_value_floats=[0.25]; replaced_value_float=NaN}", // no feature scaler: no Scaler
            "Gemm_2  (imputed, 0.weight, 0.bias) -> 0.linear {transB=1}",
            "Identity_3  (0.linear) -> variable {}",
        ], Nodes(model));
        Assert.Equal(["imputed"], model.Graph.ValueInfo.Select(v => v.Name));
    }

    [Fact]
    public void ATextOnlyModelHasNoNumericNodes()
    {
        var metadata = new ModelMetadata(TaskKind.Classification, ["c"], "y", ["p", "q"])
        {
            Encoding = new([new ColumnEncoding("c", ColumnKind.Categorical, Levels: ["u"])], 1),
        };
        var model = Export(Network(new Dense<float>(3, 2)), metadata);
        Assert.Equal(["LabelEncoder", "Equal", "Cast", "Gemm", "Softmax", "ArgMax", "Gather"], model.Graph.Node.Select(n => n.OpType));
        Assert.Equal("c_onehot", model.Graph.Node[3].Input[0]);
        Assert.Empty(model.Graph.ValueInfo);
    }

    [Fact]
    public void ActivationsCarryTheirConstants()
    {
        var network = Network(new Dense<float>(1, 2), new SELU<float>(), new ELU<float>(), new LeakyReLU<float>(0.125), new PReLU<float>(2, 0.25),
            new Sigmoid<float>(), new Identity<float>(), new SiLU<float>(), new Dense<float>(2, 2));
        var model = Export(network, new ModelMetadata(TaskKind.Classification, ["a"], "y", ["p", "q"]));
        string[] nodes = Nodes(model);
        // SELU's constants from Klambauer et al. (2017): α ≈ 1.6732632, λ ≈ 1.0507010
        Assert.Equal($"Selu_3  (0.linear) -> 1.selu {{alpha={1.6732632f.ToString("R", CultureInfo.InvariantCulture)}; gamma={1.050701f.ToString("R", CultureInfo.InvariantCulture)}}}", nodes[3]);
        Assert.Equal("Elu_4  (1.selu) -> 2.elu {alpha=1}", nodes[4]);
        Assert.Equal("LeakyRelu_5  (2.elu) -> 3.leaky_relu {alpha=0.125}", nodes[5]);
        Assert.Equal("PRelu_6  (3.leaky_relu, 4.weight) -> 4.prelu {}", nodes[6]);
        Assert.Equal([0.25f, 0.25f], Initializer(model, "4.weight").FloatData);
        Assert.Equal([2L], Initializer(model, "4.weight").Dims);
        Assert.Equal("Sigmoid_7  (4.prelu) -> 5.sigmoid {}", nodes[7]);
        Assert.Equal("Identity_8  (5.sigmoid) -> 6.identity {}", nodes[8]);
        Assert.Equal("Sigmoid_9  (6.identity) -> 7.sigmoid {}", nodes[9]);
        Assert.Equal("Mul_10  (6.identity, 7.sigmoid) -> 7.silu {}", nodes[10]);
    }

    [Fact]
    public void ValueNamesTakenByColumnsGetASuffix()
    {
        // columns named like the exporter's own values: "numeric" and "numeric_1" taken, so the Concat writes "numeric_2"
        var metadata = new ModelMetadata(TaskKind.Classification, ["numeric", "numeric_1", "imputed"], "y", ["p", "q"]);
        var model = Export(Network(new Dense<float>(3, 2)), metadata);
        Assert.Equal("Concat_0  (numeric, numeric_1, imputed) -> numeric_2 {axis=1}", Nodes(model)[0]);
        Assert.Equal("Imputer_1 ai.onnx.ml (numeric_2) -> imputed_1 {imputed_value_floats=[0,0,0]; replaced_value_float=NaN}", Nodes(model)[1]);
        var allNames = model.Graph.Input.Select(i => i.Name).Concat(model.Graph.Node.SelectMany(n => n.Output)).Concat(model.Graph.Initializer.Select(t => t.Name)).ToList();
        Assert.Equal(allNames.Count, allNames.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void ColumnsTheSchemaDoesNotListComeLastInEncodingOrder()
    {
        var metadata = MixedClassification() with { Schema = [Schema("b", ColumnKind.Numeric)] };
        var model = Export(Network(new Dense<float>(8, 3)), metadata);
        Assert.Equal(["b", "a", "c"], model.Graph.Input.Select(i => i.Name));
    }

    [Fact]
    public void ANetworkItCannotExportIsRefusedWithTheReason()
    {
        var metadata = new ModelMetadata(TaskKind.Classification, ["a", "b"], "y", ["p", "q"]);
        Assert.Equal("Layer 1 (Tripwire) has no ONNX form in this exporter.",
            Assert.Throws<NotSupportedException>(() => OnnxExporter.ToBytes(new Sequential<float>(new Dense<float>(2, 2), new Tripwire(1, new CancellationTokenSource())), metadata)).Message);
        var e = Assert.Throws<ArgumentException>(() => OnnxExporter.ToBytes(new Sequential<float>(new Dense<float>(3, 2)), metadata));
        Assert.Equal("Layer 0 (Dense) takes 3 inputs but gets 2 (the encoding is 2 wide). (Parameter 'network')", e.Message);
    }

    [Fact]
    public void MetadataThatDoesNotFitIsRefusedWithTheReason()
    {
        var network = new Sequential<float>(new Dense<float>(2, 2));
        var e = Assert.Throws<ArgumentException>(() => OnnxExporter.ToBytes(network, new ModelMetadata(TaskKind.Classification, ["a", "b"], "y", [])));
        Assert.Equal("A classification model needs its class names to be exported. (Parameter 'metadata')", e.Message);
        Assert.Throws<ArgumentException>(() => OnnxExporter.ToBytes(network, new ModelMetadata(TaskKind.Classification, ["a", "b"], "y")));

        // the offsets fit, the scales do not (and the other way round)
        foreach (var scaler in new[] { new ScalerState("standard", [0f, 0f], [1f]), new ScalerState("standard", [0f], [1f, 1f]) })
        {
            e = Assert.Throws<ArgumentException>(() => OnnxExporter.ToBytes(network, new ModelMetadata(TaskKind.Classification, ["a", "b"], "y", ["p", "q"], scaler)
            {
                Encoding = new([new ColumnEncoding("a", ColumnKind.Numeric), new ColumnEncoding("b", ColumnKind.Numeric)], 1),
            }));
            Assert.Equal($"The feature scaler has {scaler.Offset.Length} columns but the model has 2 numeric columns. (Parameter 'metadata')", e.Message);
        }

        e = Assert.Throws<ArgumentException>(() => OnnxExporter.ToBytes(network, new ModelMetadata(TaskKind.Classification, [], "y", ["p", "q"]) { Encoding = new([], 1) }));
        Assert.Equal("The model reads no feature columns. (Parameter 'metadata')", e.Message);

        var n = Assert.Throws<NotSupportedException>(() => OnnxExporter.ToBytes(network, new ModelMetadata(TaskKind.Classification, ["probabilities", "b"], "y", ["p", "q"])));
        Assert.Equal("The feature column 'probabilities' has the name of an ONNX output (probabilities, label); rename the column and train again to export.", n.Message);
        n = Assert.Throws<NotSupportedException>(() => OnnxExporter.ToBytes(network, new ModelMetadata(TaskKind.Regression, ["variable", "b"], "y")));
        Assert.Equal("The feature column 'variable' has the name of an ONNX output (variable); rename the column and train again to export.", n.Message);
        // a regression model has no "label" output: a column may be called so
        var regression = Export(new Sequential<float>(new Dense<float>(2, 1)), new ModelMetadata(TaskKind.Regression, ["label", "b"], "y"));
        Assert.Equal(["label", "b"], regression.Graph.Input.Select(i => i.Name));
    }

    [Fact]
    public void NullArgumentsAreNamed()
    {
        var network = new Sequential<float>(new Dense<float>(2, 2));
        var metadata = new ModelMetadata(TaskKind.Classification, ["a", "b"], "y", ["p", "q"]);
        Assert.Equal("network", Assert.Throws<ArgumentNullException>(() => OnnxExporter.ToBytes(null!, metadata)).ParamName);
        Assert.Equal("metadata", Assert.Throws<ArgumentNullException>(() => OnnxExporter.ToBytes(network, null!)).ParamName);
        // the path is checked before the model is built: an empty path is named even when the network would be refused
        Assert.Equal("path", Assert.Throws<ArgumentException>(() => OnnxExporter.Save("", new Sequential<float>(new Dense<float>(3, 2)), metadata)).ParamName);
    }

    [Fact]
    public void SaveWritesWhatToBytesReturns()
    {
        var network = Network(new Dense<float>(2, 2));
        var metadata = new ModelMetadata(TaskKind.Classification, ["a", "b"], "y", ["p", "q"]);
        string path = Path.Combine(Dir, "m.onnx");
        OnnxExporter.Save(path, network, metadata);
        Assert.Equal(OnnxExporter.ToBytes(network, metadata), File.ReadAllBytes(path));
    }
}
