using System.Buffers.Binary;
using System.Text.Json;

namespace Engine.Tests.Serialization;

/// <summary>
/// Safetensors files built by hand, byte by byte, each wrong in one way, and the exact message each is refused with
/// (the path, then the reason); the edges of the size checks (a header of exactly the limit, a shape of exactly 64
/// dimensions, an 8-byte file); and a hand-built valid file that loads to the weights written into it.
/// </summary>
public sealed class SafetensorsRefusalTests() : TempDirectoryTests("engine-safetensors-refusal-")
{
    private const string Arch = """[{"type":"Dense","in":2,"out":2}]""";

    private static readonly string Meta = JsonSerializer.Serialize(Samples.Metadata(2, 2));

    private const string Tensors = "\"0.weight\":{\"dtype\":\"F32\",\"shape\":[2,2],\"data_offsets\":[0,16]},\"0.bias\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[16,24]}";

    private static string Header(string tensors = Tensors, string arch = Arch, string? meta = null) =>
        $$"""{"__metadata__":{"format":"engine-mlp","architecture":{{JsonSerializer.Serialize(arch)}},"engine_metadata":{{JsonSerializer.Serialize(meta ?? Meta)}}},{{tensors}}}""";

    // weight [[1, 2], [3, 4]] and bias [0.5, −0.5], little-endian
    private static byte[] Data(int floats = 6)
    {
        float[] values = [1, 2, 3, 4, 0.5f, -0.5f];
        var data = new byte[floats * 4];
        for (int i = 0; i < floats; i++)
            BinaryPrimitives.WriteSingleLittleEndian(data.AsSpan(4 * i), values[i % values.Length]);
        return data;
    }

    private string Write(byte[] bytes)
    {
        string path = Path.Combine(Dir, "m.safetensors");
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private string Refusal(string header, byte[]? data = null)
    {
        string path = Write(SafetensorsTests.Build(header, data ?? Data()));
        var e = Assert.Throws<ModelFormatException>(() => Safetensors.Load(path));
        Assert.Equal(path, e.FilePath);
        Assert.StartsWith(path + ": ", e.Message, StringComparison.Ordinal);
        return e.Message[(path.Length + 2)..];
    }

    [Fact]
    public void AHandBuiltFileLoadsToTheWeightsWrittenInIt()
    {
        string path = Write(SafetensorsTests.Build(Header(), Data()));
        var (model, metadata) = Safetensors.Load(path);
        var dense = Assert.IsType<Dense<float>>(Assert.Single(model.Layers));
        Assert.Equal([1f, 2f, 3f, 4f], dense.Weight.Value.AsSpan().ToArray());
        Assert.Equal(2f, dense.Weight.Value[0, 1]); // row-major (out, in)
        Assert.Equal([0.5f, -0.5f], dense.Bias.Value.AsSpan().ToArray());
        Assert.Equal(["f0", "f1"], metadata.FeatureNames);

        // the tensors may be listed in any order, the data in offset order
        string swapped = "\"0.bias\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},\"0.weight\":{\"data_offsets\":[8,24],\"shape\":[2,2],\"dtype\":\"F32\"}";
        float[] values = [0.5f, -0.5f, 1, 2, 3, 4];
        byte[] data = new byte[24];
        for (int i = 0; i < 6; i++)
            BinaryPrimitives.WriteSingleLittleEndian(data.AsSpan(4 * i), values[i]);
        path = Write(SafetensorsTests.Build(Header(swapped), data));
        dense = (Dense<float>)Safetensors.Load(path).Model.Layers[0];
        Assert.Equal([1f, 2f, 3f, 4f], dense.Weight.Value.AsSpan().ToArray());
        Assert.Equal([0.5f, -0.5f], dense.Bias.Value.AsSpan().ToArray());
    }

    [Fact]
    public void SaveThenLoadOfAHandBuiltModelWritesItsExactBytes()
    {
        var model = Samples.HandBuiltDense2x2();
        string path = Path.Combine(Dir, "saved.safetensors");
        Safetensors.Save(path, model, Samples.Metadata(2, 2));
        byte[] bytes = File.ReadAllBytes(path);
        int n = (int)BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        Assert.Equal(Data(), bytes[(8 + n)..]);
        using var header = JsonDocument.Parse(bytes.AsMemory(8, n));
        Assert.Equal(["F32", "F32"], header.RootElement.EnumerateObject().Skip(1).Select(t => t.Value.GetProperty("dtype").GetString()));
        Assert.Equal([16L, 24L], header.RootElement.GetProperty("0.bias").GetProperty("data_offsets").EnumerateArray().Select(o => o.GetInt64()));
    }

    [Fact]
    public void NullsAndEmptyPathsAreRefused()
    {
        var model = new Sequential<float>(new Dense<float>(2, 2));
        string path = Path.Combine(Dir, "x.safetensors");
        Assert.Equal("model", Assert.Throws<ArgumentNullException>(() => Safetensors.Save(path, null!, Samples.Metadata(2, 2))).ParamName);
        Assert.Equal("metadata", Assert.Throws<ArgumentNullException>(() => Safetensors.Save(path, model, null!)).ParamName);
        Assert.False(File.Exists(path));
        Assert.Throws<ArgumentException>(() => Safetensors.Load(""));
        Assert.Equal($"{path}: model file not found.", Assert.Throws<FileNotFoundException>(() => Safetensors.Load(path)).Message);
    }

    [Fact]
    public void ShortFilesAndHeaderLengthsAreRefusedAtTheirEdges()
    {
        string path = Write([1, 2, 3, 4, 5]);
        Assert.Equal($"{path}: file is 5 bytes, too short to be a safetensors file (truncated?).", Assert.Throws<ModelFormatException>(() => Safetensors.Load(path)).Message);

        // 8 bytes: long enough for the length; an empty header is not JSON
        path = Write(new byte[8]);
        Assert.StartsWith($"{path}: header is not valid JSON (", Assert.Throws<ModelFormatException>(() => Safetensors.Load(path)).Message, StringComparison.Ordinal);

        byte[] bytes = new byte[64];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, 100_000_000); // the limit itself: not over it, but not in the file
        path = Write(bytes);
        Assert.Equal($"{path}: header length 100000000 does not fit in a 64-byte file (truncated or corrupted).", Assert.Throws<ModelFormatException>(() => Safetensors.Load(path)).Message);
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, 100_000_001);
        path = Write(bytes);
        Assert.Equal($"{path}: header length 100000001 exceeds the 100000000-byte limit (not a safetensors file, or corrupted).", Assert.Throws<ModelFormatException>(() => Safetensors.Load(path)).Message);
    }

    [Fact]
    public void TheHeadersStructureIsCheckedWithExactReasons()
    {
        Assert.Equal("header is not a JSON object.", Refusal("[1]"));
        Assert.Equal("__metadata__ is not a JSON object.", Refusal("""{"__metadata__":"engine-mlp"}"""));
        Assert.Equal("__metadata__ lists 'format' twice.", Refusal("""{"__metadata__":{"format":"engine-mlp","format":"engine-mlp"}}"""));
        Assert.Equal("__metadata__ value 'format' is not a string (safetensors metadata maps strings to strings).", Refusal("""{"__metadata__":{"format":1}}"""));
        Assert.Equal("header has no __metadata__: not written by Engine (the architecture is missing).", Refusal("{" + Tensors + "}"));
        Assert.Equal("__metadata__ format is 'pt', not 'engine-mlp': not written by Engine.", Refusal("""{"__metadata__":{"format":"pt"}}"""));
        Assert.Equal("__metadata__ format is '', not 'engine-mlp': not written by Engine.", Refusal("""{"__metadata__":{}}"""));
        Assert.Equal("__metadata__ lacks 'architecture' or 'engine_metadata'.", Refusal("""{"__metadata__":{"format":"engine-mlp","architecture":"[]"}}"""));
        Assert.Equal("__metadata__ lacks 'architecture' or 'engine_metadata'.", Refusal("""{"__metadata__":{"format":"engine-mlp","engine_metadata":"{}"}}"""));
        Assert.Equal("header lists '0.bias' twice.", Refusal(Header(Tensors + ""","0.bias":{"dtype":"F32","shape":[2],"data_offsets":[16,24]}""")));
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("[null]")]
    [InlineData("""[{"type":"Dense","in":2,"out":2},null]""")]
    public void AnEmptyArchitectureOrANullLayerIsRefused(string arch) =>
        Assert.Equal("architecture is empty or has a null layer.", Refusal(Header(arch: arch)));

    [Fact]
    public void NullMetadataIsRefused() => Assert.Equal("engine_metadata is null.", Refusal(Header(meta: "null")));

    [Fact]
    public void AnArchitectureWhoseLayersDoNotChainIsInconsistent()
    {
        // each tensor fits its layer, but Dense(2→2) cannot feed Dense(3→2)
        string arch = """[{"type":"Dense","in":2,"out":2},{"type":"Dense","in":3,"out":2}]""";
        string tensors = Tensors + ""","1.weight":{"dtype":"F32","shape":[2,3],"data_offsets":[24,48]},"1.bias":{"dtype":"F32","shape":[2],"data_offsets":[48,56]}""";
        Assert.StartsWith("inconsistent architecture: ", Refusal(Header(tensors, arch), Data(14)), StringComparison.Ordinal);
    }

    // One field of tensor 0.bias edited, and the exact reason.
    public static TheoryData<string, string> BiasEdits => new()
    {
        { "7", "tensor '0.bias' is not a JSON object." },
        { """{"dtype":"F32","shape":[2]}""", "tensor '0.bias' lacks dtype, shape or data_offsets." },
        { """{"dtype":"F32","data_offsets":[16,24]}""", "tensor '0.bias' lacks dtype, shape or data_offsets." },
        { """{"shape":[2],"data_offsets":[16,24]}""", "tensor '0.bias' lacks dtype, shape or data_offsets." },
        { """{"dtype":"F32","dtype":"F32","shape":[2],"data_offsets":[16,24]}""", "tensor '0.bias' has an unexpected or repeated field 'dtype'." },
        { """{"dtype":32,"shape":[2],"data_offsets":[16,24]}""", "tensor '0.bias' has an unexpected or repeated field 'dtype'." },
        { """{"dtype":"F32","shape":[2],"shape":[2],"data_offsets":[16,24]}""", "tensor '0.bias' has an unexpected or repeated field 'shape'." },
        { """{"dtype":"F32","shape":[2],"data_offsets":[16,24],"data_offsets":[16,24]}""", "tensor '0.bias' has an unexpected or repeated field 'data_offsets'." },
        { """{"dtype":"F32","shape":[2],"data_offsets":[16,24],"names":[]}""", "tensor '0.bias' has an unexpected or repeated field 'names'." },
        { """{"dtype":"F32","shape":[-2],"data_offsets":[16,24]}""", "tensor '0.bias' has a shape that is not a list of non-negative integers." },
        { """{"dtype":"F32","shape":"2","data_offsets":[16,24]}""", "tensor '0.bias' has a shape that is not a list of non-negative integers." },
        { """{"dtype":"F32","shape":[2.5],"data_offsets":[16,24]}""", "tensor '0.bias' has a shape that is not a list of non-negative integers." },
        { $$"""{"dtype":"F32","shape":[{{string.Join(",", Enumerable.Repeat(1, 65))}}],"data_offsets":[16,24]}""", "tensor '0.bias' has a shape that is not a list of non-negative integers." },
        { $$"""{"dtype":"F32","shape":[{{string.Join(",", Enumerable.Repeat(1, 64))}}],"data_offsets":[16,24]}""", $"tensor '0.bias' has shape [{string.Join(", ", Enumerable.Repeat(1, 64))}] but the architecture needs [2]." },
        { """{"dtype":"F32","shape":[2],"data_offsets":[16]}""", "tensor '0.bias' has data_offsets that are not two non-negative integers." },
        { """{"dtype":"F32","shape":[2],"data_offsets":{"begin":16}}""", "tensor '0.bias' has data_offsets that are not two non-negative integers." },
        { """{"dtype":"BF16","shape":[2],"data_offsets":[16,24]}""", "tensor '0.bias' has dtype BF16; only F32 is supported." },
        { """{"dtype":"F32","shape":[2],"data_offsets":[16,20]}""", "tensor '0.bias' has data_offsets [16, 20] but needs 8 bytes within a 24-byte data section." },
        { """{"dtype":"F32","shape":[2],"data_offsets":[24,16]}""", "tensor '0.bias' has data_offsets [24, 16] but needs 8 bytes within a 24-byte data section." },
        { """{"dtype":"F32","shape":[2],"data_offsets":[24,32]}""", "tensor '0.bias' has data_offsets [24, 32] but needs 8 bytes within a 24-byte data section." },
        { """{"dtype":"F32","shape":[2],"data_offsets":[8,16]}""", "tensor '0.bias' starts at byte 8 but the previous one ends at 16: tensors must be contiguous and not overlap." },
    };

    [Theory]
    [MemberData(nameof(BiasEdits))]
    public void ATensorEntryIsCheckedWithAnExactReason(string bias, string reason)
    {
        string tensors = Tensors.Replace("""{"dtype":"F32","shape":[2],"data_offsets":[16,24]}""", bias, StringComparison.Ordinal);
        Assert.NotEqual(Tensors, tensors);
        Assert.Equal(reason, Refusal(Header(tensors)));
    }

    [Fact]
    public void UnknownMissingAndMisplacedTensorsAreNamed()
    {
        Assert.Equal("tensor '1.weight' is not a parameter of the architecture (it has 0.weight, 0.bias).",
            Refusal(Header(Tensors + ""","1.weight":{"dtype":"F32","shape":[2],"data_offsets":[24,32]}"""), Data(8)));
        Assert.Equal("tensors missing from the header: 0.bias.",
            Refusal(Header("\"0.weight\":{\"dtype\":\"F32\",\"shape\":[2,2],\"data_offsets\":[0,16]}"), Data(4)));
        Assert.Equal("tensors missing from the header: 0.weight, 0.bias.", Refusal(Header("\"x\":null").Replace(",\"x\":null", "", StringComparison.Ordinal), []));
        Assert.Equal("the tensors take 24 bytes but the data section is 28 bytes (truncated, or trailing data).", Refusal(Header(), Data(7)));
        Assert.Equal("tensor '0.bias' has data_offsets [16, 24] but needs 8 bytes within a 20-byte data section.", Refusal(Header(), Data(5)));
    }
}
