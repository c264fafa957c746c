using System.Buffers.Binary;
using System.Text.Json;

namespace Engine.Tests.Serialization;

public sealed class SafetensorsTests() : TempDirectoryTests("engine-safetensors-")
{
    /// <summary><see cref="Samples.Metadata"/>, under the name other test classes (OneHotDenseTests) call.</summary>
    internal static ModelMetadata Metadata(int features, int classes) => Samples.Metadata(features, classes);

    // Dense(5→8) → PReLU(8 slopes) → Dense(8→6) → PReLU(1) → Dense(6→3), slopes moved off their initial value.
    internal static Sequential<float> PReluModel()
    {
        var model = new Sequential<float>(
            new Dense<float>(5, 8), new PReLU<float>(8), new Dense<float>(8, 6), new PReLU<float>(), new Dense<float>(6, 3));
        model.Initialize(7);
        var slopes = ((PReLU<float>)model.Layers[1]).Slope.Value.AsSpan();
        for (int i = 0; i < slopes.Length; i++)
            slopes[i] = 0.05f * i - 0.1f;
        ((PReLU<float>)model.Layers[3]).Slope.Value[0, 0] = 0.3125f;
        return model;
    }

    private string SaveSample()
    {
        string path = Path.Combine(Dir, "m.safetensors");
        Safetensors.Save(path, PReluModel(), Samples.Metadata(5, 3));
        return path;
    }

    private static Sequential<float> GeluTanhModel()
    {
        var model = new Sequential<float>(new Dense<float>(5, 8), new GELU<float>(approximateTanh: true), new Dense<float>(8, 3));
        model.Initialize(11);
        return model;
    }

    private static Matrix<float> Inputs(int rows, int cols)
    {
        var x = new Matrix<float>(rows, cols);
        var rng = new Rng(2);
        for (int i = 0; i < x.Length; i++)
            x.AsSpan()[i] = (float)rng.NextNormal() * 3;
        return x;
    }

    public static TheoryData<string> Models => ["ReLU", "LeakyReLU", "PReLU", "PReLU-per-unit", "Tanh", "ELU", "SELU", "GELU", "GELU-tanh", "SiLU"];

    private static Sequential<float> Build(string kind) => kind switch
    {
        "PReLU-per-unit" => PReluModel(),
        "GELU-tanh" => GeluTanhModel(),
        _ => Mlp.Create(5, [8, 6], 3, Enum.Parse<Activation>(kind), seed: 11, negativeSlope: 0.2),
    };

    [Theory]
    [MemberData(nameof(Models))]
    public void RoundTripGivesIdenticalPredictions(string kind)
    {
        var model = Build(kind);
        string path = Path.Combine(Dir, "rt.safetensors");
        var metadata0 = Samples.Metadata(5, 3) with { FeatureNames = ["α", "b\"q", "c", "d", "e"] };
        metadata0.Training["seed"] = "11";
        Safetensors.Save(path, model, metadata0);
        var (loaded, metadata) = Safetensors.Load(path);

        var x = Inputs(16, 5);
        var expected = model.Forward(x).AsSpan().ToArray();
        Assert.Equal(expected, loaded.Forward(x).AsSpan().ToArray());
        Assert.Equal(model.ToString(), loaded.ToString());
        Assert.Equal(model.NamedParameters.Select(np => np.Name), loaded.NamedParameters.Select(np => np.Name));
        foreach (var ((_, a), (_, b)) in model.NamedParameters.Zip(loaded.NamedParameters))
            Assert.Equal(a.Value.AsSpan().ToArray(), b.Value.AsSpan().ToArray());
        Assert.Equal(["α", "b\"q", "c", "d", "e"], metadata.FeatureNames);
        Assert.Equal(["c0", "c1", "c2"], metadata.ClassNames!);
        Assert.Equal("11", metadata.Training["seed"]);
        foreach (var (a, b) in model.Layers.Zip(loaded.Layers))
            Assert.Equal(LayerSpec.Of(a), LayerSpec.Of(b)); // types, sizes and slopes
    }

    [Fact]
    public void HeaderIsTheDocumentedLayout()
    {
        var model = PReluModel();
        string path = Path.Combine(Dir, "layout.safetensors");
        Safetensors.Save(path, model, Samples.Metadata(5, 3));
        byte[] bytes = File.ReadAllBytes(path);

        // u64 little-endian header length, header padded with spaces so the data starts 8-byte aligned
        ulong n = BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        Assert.Equal(0UL, n % 8);
        Assert.True(8 + (long)n <= bytes.Length);
        string header = Encoding.UTF8.GetString(bytes, 8, (int)n);
        Assert.StartsWith("{", header, StringComparison.Ordinal);
        Assert.True(header.Length - header.TrimEnd(' ').Length < 8);

        using var doc = JsonDocument.Parse(header);
        var root = doc.RootElement;
        string[] expectedNames = ["0.weight", "0.bias", "1.weight", "2.weight", "2.bias", "3.weight", "4.weight", "4.bias"];
        long[][] expectedShapes = [[8, 5], [8], [8], [6, 8], [6], [1], [3, 6], [3]];
        Assert.Equal(["__metadata__", .. expectedNames], root.EnumerateObject().Select(p => p.Name));

        var meta = root.GetProperty("__metadata__");
        Assert.Equal(["format", "architecture", "engine_metadata"], meta.EnumerateObject().Select(p => p.Name));
        Assert.All(meta.EnumerateObject(), p => Assert.Equal(JsonValueKind.String, p.Value.ValueKind));
        Assert.Equal("engine-mlp", meta.GetProperty("format").GetString());
        using var arch = JsonDocument.Parse(meta.GetProperty("architecture").GetString()!);
        Assert.Equal(["Dense", "PReLU", "Dense", "PReLU", "Dense"], arch.RootElement.EnumerateArray().Select(l => l.GetProperty("type").GetString()));
        Assert.Equal(5, arch.RootElement[0].GetProperty("in").GetInt32());
        Assert.Equal(8, arch.RootElement[1].GetProperty("numParameters").GetInt32());
        using var engineMeta = JsonDocument.Parse(meta.GetProperty("engine_metadata").GetString()!);
        Assert.Equal("classification", engineMeta.RootElement.GetProperty("task").GetString());
        Assert.Equal(5, engineMeta.RootElement.GetProperty("featureNames").GetArrayLength());
        Assert.Equal(3, engineMeta.RootElement.GetProperty("classNames").GetArrayLength());
        Assert.Equal("standard", engineMeta.RootElement.GetProperty("featureScaler").GetProperty("kind").GetString());

        long offset = 0;
        var data = bytes.AsSpan(8 + (int)n);
        for (int i = 0; i < expectedNames.Length; i++)
        {
            var t = root.GetProperty(expectedNames[i]);
            Assert.Equal(["dtype", "shape", "data_offsets"], t.EnumerateObject().Select(p => p.Name));
            Assert.Equal("F32", t.GetProperty("dtype").GetString());
            long[] shape = [.. t.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64())];
            Assert.Equal(expectedShapes[i], shape);
            long begin = t.GetProperty("data_offsets")[0].GetInt64(), end = t.GetProperty("data_offsets")[1].GetInt64();
            Assert.Equal(offset, begin);
            Assert.Equal(shape.Aggregate(1L, (a, b) => a * b) * 4, end - begin);
            // the bytes are the parameter's float32 values, little-endian, row-major
            var values = model.NamedParameters[i].Parameter.Value.AsSpan();
            for (int k = 0; k < values.Length; k++)
                Assert.Equal(values[k], BinaryPrimitives.ReadSingleLittleEndian(data[(int)(begin + 4 * k)..]));
            offset = end;
        }
        Assert.Equal(data.Length, offset);
    }

    [Fact]
    public void TruncationsAreRefused()
    {
        // every length is tried by ModelFileFuzzTests; here the edges and a stride through header and data
        string path = SaveSample();
        byte[] original = File.ReadAllBytes(path);
        int n = (int)BinaryPrimitives.ReadUInt64LittleEndian(original);
        int[] lengths = [0, 1, 7, 8, 9, 8 + n - 1, 8 + n, 8 + n + 1, original.Length - 4, original.Length - 1];
        foreach (int length in lengths.Concat(Enumerable.Range(0, original.Length / 29).Select(i => i * 29)))
            Assert.Contains(path, Refused(path, original[..length]).Message);
    }

    [Fact]
    public void TrailingBytesAreRefused()
    {
        string path = SaveSample();
        Assert.Contains("data section", Refused(path, [.. File.ReadAllBytes(path), 0, 0, 0, 0]).Message);
    }

    [Fact]
    public void HugeHeaderLengthIsRefusedBeforeAllocating()
    {
        string path = SaveSample();
        byte[] bytes = File.ReadAllBytes(path);
        foreach (ulong n in new[] { ulong.MaxValue, (ulong)long.MaxValue, 100_000_001UL, (ulong)bytes.Length })
        {
            BinaryPrimitives.WriteUInt64LittleEndian(bytes, n);
            Assert.Contains("header length", Refused(path, bytes).Message);
        }
    }

    [Fact]
    public void ForeignFilesAreRefused()
    {
        string csv = Path.Combine(Dir, "iris.csv");
        File.WriteAllText(csv, "sepal_length,sepal_width,species\n5.1,3.5,setosa\n4.9,3.0,setosa\n");
        Assert.Throws<ModelFormatException>(() => Safetensors.Load(csv));

        string mlp = Path.Combine(Dir, "m.mlp");
        ModelFile.Save(mlp, PReluModel(), Samples.Metadata(5, 3));
        Assert.Throws<ModelFormatException>(() => Safetensors.Load(mlp));

        string st = SaveSample();
        Assert.Throws<ModelFormatException>(() => ModelFile.Load(st));

        // a valid safetensors file from elsewhere: no Engine architecture in it
        string torch = Path.Combine(Dir, "torch.safetensors");
        File.WriteAllBytes(torch, Build("""{"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}""", new byte[8]));
        var ex = Assert.Throws<ModelFormatException>(() => Safetensors.Load(torch));
        Assert.Contains("__metadata__", ex.Message);
        File.WriteAllBytes(torch, Build("""{"__metadata__":{"format":"pt"},"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}""", new byte[8]));
        ex = Assert.Throws<ModelFormatException>(() => Safetensors.Load(torch));
        Assert.Contains("not written by Engine", ex.Message);
    }

    [Fact]
    public void MissingFileNamesThePath() => ModelReaderChecks.MissingFileIsNamed(Path.Combine(Dir, "nope.safetensors"), p => Safetensors.Load(p));

    [Fact]
    public void SaveLeavesNoTemporaryFiles()
    {
        SaveSample();
        SaveSample();
        Assert.Equal(["m.safetensors"], Directory.GetFiles(Dir).Select(Path.GetFileName));
    }

    // Header edits on a valid file, each with the words the error must contain.
    public static TheoryData<string, string, string> HeaderEdits => new()
    {
        { "\"dtype\":\"F32\"", "\"dtype\":\"F16\"", "only F32" },
        { "\"shape\":[8,5]", "\"shape\":[5,8]", "shape [5, 8]" },
        { "\"shape\":[8,5]", "\"shape\":[40]", "shape [40]" },
        { "\"shape\":[8]", "\"shape\":[1,8]", "shape [1, 8]" },
        { "\"data_offsets\":[0,160]", "\"data_offsets\":[0,164]", "data_offsets" },
        { "\"data_offsets\":[0,160]", "\"data_offsets\":[4,164]", "contiguous" },
        { "\"data_offsets\":[0,160]", "\"data_offsets\":[160,0]", "data_offsets" },
        { "\"data_offsets\":[0,160]", "\"data_offsets\":[0,-160]", "data_offsets" },
        { "\"data_offsets\":[0,160]", "\"data_offsets\":[0,160,1]", "data_offsets" },
        { "\"data_offsets\":[0,160]", "\"data_offsets\":[0,1e400]", "data_offsets" },
        { "\"0.weight\"", "\"9.weight\"", "not a parameter" },
        { "\"0.bias\"", "\"0.weight\"", "twice" },
        { "\"format\":\"engine-mlp\"", "\"format\":\"engine-mlq\"", "not written by Engine" },
        { "\"format\":\"engine-mlp\"", "\"format\":1234567890123", "not a string" },
        { "\"architecture\":\"[{\\\"type\\\":\\\"Dense\\\",\\\"in\\\":5", "\"architecture\":\"[{\\\"type\\\":\\\"Dense\\\",\\\"in\\\":7", "needs [8, 7]" },
        { "\"architecture\":\"[{\\\"type\\\":\\\"Dense\\\",\\\"in\\\":5", "\"architecture\":\"[{\\\"type\\\":\\\"Dense\\\",\\\"in\\\":-5", "invalid sizes" },
        { "\"architecture\":\"[{\\\"type\\\":\\\"Dense\\\"", "\"architecture\":\"[{\\\"type\\\":\\\"Dance\\\"", "unknown layer type" },
        { "\"architecture\":\"[", "\"architecture\":\"{", "not valid JSON" },
        { "\"task\\\":\\\"classification", "\"task\\\":\\\"clustering\\\\u0000", "valid task" },
        { "{\"__metadata__\"", "[{\"__metadata__\"", "not valid JSON" },
        { "\"0.weight\"", "\"\\ud800\"", "not valid text" },
    };

    [Theory]
    [MemberData(nameof(HeaderEdits))]
    public void CorruptedHeaderIsRefusedWithAReason(string find, string replace, string reason)
    {
        string path = SaveSample();
        byte[] bytes = File.ReadAllBytes(path);
        int n = (int)BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        string header = Encoding.UTF8.GetString(bytes, 8, n).TrimEnd(' ');
        Assert.Contains(find, header, StringComparison.Ordinal);
        int at = header.IndexOf(find, StringComparison.Ordinal);
        string edited = string.Concat(header.AsSpan(0, at), replace, header.AsSpan(at + find.Length));
        var ex = Refused(path, Build(edited, bytes.AsSpan(8 + n).ToArray()));
        Assert.Contains(path, ex.Message);
        Assert.Contains(reason, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void InvalidUtf8HeaderIsRefused()
    {
        string path = Path.Combine(Dir, "bad.safetensors");
        var header = Encoding.UTF8.GetBytes("""{"__metadata__":{"format":"engine-mlp"},"x":"??"}""");
        header[^3] = 0xC3; // a lead byte followed by '?' is not UTF-8
        File.WriteAllBytes(path, [.. BitConverter.GetBytes((ulong)header.Length), .. header]);
        var ex = Assert.Throws<ModelFormatException>(() => Safetensors.Load(path));
        Assert.Contains("UTF-8", ex.Message);
    }

    [Fact]
    public void AbsurdArchitectureIsRefusedBeforeAllocating()
    {
        // Dense in = 10^9 → out = 10^9 with offsets claiming 4·10^18 bytes: refused from the header alone, by the
        // layer registry's size limits before the offsets are even compared.
        string path = Path.Combine(Dir, "absurd.safetensors");
        var arch = JsonSerializer.Serialize("""[{"type":"Dense","in":1000000000,"out":1000000000}]""");
        var meta = JsonSerializer.Serialize(JsonSerializer.Serialize(Samples.Metadata(1000, 2)));
        string header = $$$"""{"__metadata__":{"format":"engine-mlp","architecture":{{{arch}}},"engine_metadata":{{{meta}}}},"0.weight":{"dtype":"F32","shape":[1000000000,1000000000],"data_offsets":[0,4000000000000000000]},"0.bias":{"dtype":"F32","shape":[1000000000],"data_offsets":[4000000000000000000,4000000004000000000]}}""";
        File.WriteAllBytes(path, Build(header, new byte[64]));
        long before = GC.GetAllocatedBytesForCurrentThread();
        var ex = Assert.Throws<ModelFormatException>(() => Safetensors.Load(path));
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 1 << 20, "allocated more than 1 MB to refuse the file");
        Assert.Contains("invalid sizes", ex.Message);
    }

    private static ModelFormatException Refused(string path, byte[] bytes) => ModelReaderChecks.Refused(path, bytes, p => Safetensors.Load(p));

    /// <summary>A safetensors file with the given header (padded to 8 bytes) and data.</summary>
    internal static byte[] Build(string header, byte[] data) => Build(Encoding.UTF8.GetBytes(header), data);

    /// <summary>A safetensors file with the given UTF-8 header bytes (padded to 8 bytes) and data.</summary>
    internal static byte[] Build(byte[] header, byte[] data)
    {
        int padded = (header.Length + 7) / 8 * 8;
        var file = new byte[8 + padded + data.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(file, (ulong)padded);
        header.CopyTo(file, 8);
        file.AsSpan(8 + header.Length, padded - header.Length).Fill((byte)' ');
        data.CopyTo(file, 8 + padded);
        return file;
    }
}
