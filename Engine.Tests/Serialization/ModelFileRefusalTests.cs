using System.Buffers.Binary;
using System.IO.Hashing;
using System.Text.Json;

namespace Engine.Tests.Serialization;

/// <summary>
/// Model files (.mlp) built by hand — magic, version, header length, JSON header, payload, CRC-32 computed here —
/// each wrong in one way, and the exact message each is refused with; the metadata checks one rule at a time; the
/// task's two spellings.
/// </summary>
public sealed class ModelFileRefusalTests() : TempDirectoryTests("engine-modelfile-refusal-")
{
    private const string Layers = """[{"type":"Dense","in":2,"out":2}]""";

    private const string Tensors = """[{"name":"0.weight","shape":[2,2]},{"name":"0.bias","shape":[1,2]}]""";

    private static readonly string Meta = JsonSerializer.Serialize(Samples.Metadata(2, 2));

    private static string Header(string layers = Layers, string tensors = Tensors, string? meta = null) =>
        $$"""{"layers":{{layers}},"tensors":{{tensors}},"metadata":{{meta ?? Meta}}}""";

    /// <summary>The file's bytes: "ENGNMLP\0", version, header length, header, payload floats, CRC-32 of all before it.</summary>
    private static byte[] File_(string header, float[]? payload = null, uint version = 1, byte[]? magic = null)
    {
        byte[] h = Encoding.UTF8.GetBytes(header);
        payload ??= [1, 2, 3, 4, 0.5f, -0.5f];
        var bytes = new byte[16 + h.Length + 4 * payload.Length + 4];
        (magic ?? "ENGNMLP\0"u8.ToArray()).CopyTo(bytes, 0);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(8), version);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(12), (uint)h.Length);
        h.CopyTo(bytes, 16);
        for (int i = 0; i < payload.Length; i++)
            BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(16 + h.Length + 4 * i), payload[i]);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(bytes.Length - 4), Crc32.HashToUInt32(bytes.AsSpan(0, bytes.Length - 4)));
        return bytes;
    }

    private string Write(byte[] bytes)
    {
        string path = Path.Combine(Dir, "m.mlp");
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private string Refusal(byte[] bytes)
    {
        string path = Write(bytes);
        var e = Assert.Throws<ModelFormatException>(() => ModelFile.Load(path));
        Assert.Equal(path, e.FilePath);
        Assert.StartsWith(path + ": ", e.Message, StringComparison.Ordinal);
        return e.Message[(path.Length + 2)..];
    }

    [Fact]
    public void AHandBuiltFileLoadsToTheWeightsWrittenInIt()
    {
        var (model, metadata) = ModelFile.Load(Write(File_(Header())));
        var dense = Assert.IsType<Dense<float>>(Assert.Single(model.Layers));
        Assert.Equal(2f, dense.Weight.Value[0, 1]);
        Assert.Equal([1f, 2f, 3f, 4f], dense.Weight.Value.AsSpan().ToArray());
        Assert.Equal([0.5f, -0.5f], dense.Bias.Value.AsSpan().ToArray());
        Assert.Equal(["c0", "c1"], metadata.ClassNames!);
    }

    [Fact]
    public void SaveWritesTheDocumentedBytes()
    {
        var model = Samples.HandBuiltDense2x2();
        string path = Path.Combine(Dir, "saved.mlp");
        ModelFile.Save(path, model, Samples.Metadata(2, 2));
        byte[] bytes = File.ReadAllBytes(path);
        Assert.Equal("ENGNMLP\0"u8.ToArray(), bytes[..8]);
        Assert.Equal(1u, BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(8)));
        int n = (int)BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(12));
        string header = Encoding.UTF8.GetString(bytes, 16, n);
        Assert.DoesNotContain('\n', header); // one line of JSON
        using (var doc = JsonDocument.Parse(header))
        {
            Assert.Equal(["layers", "tensors", "metadata"], doc.RootElement.EnumerateObject().Select(p => p.Name));
            Assert.Equal([[2, 2], [1, 2]], doc.RootElement.GetProperty("tensors").EnumerateArray().Select(t => t.GetProperty("shape").EnumerateArray().Select(d => d.GetInt32()).ToArray()));
            Assert.Equal(["0.weight", "0.bias"], doc.RootElement.GetProperty("tensors").EnumerateArray().Select(t => t.GetProperty("name").GetString()));
        }
        float[] payload = [.. Enumerable.Range(0, 6).Select(i => BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(16 + n + 4 * i)))];
        Assert.Equal([1f, 2f, 3f, 4f, 0.5f, -0.5f], payload);
        Assert.Equal(16 + n + 24 + 4, bytes.Length);
        Assert.Equal(Crc32.HashToUInt32(bytes.AsSpan(0, bytes.Length - 4)), BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(bytes.Length - 4)));
    }

    [Fact]
    public void PathsThatAreNoModelFileAreNamed()
    {
        Assert.Throws<ArgumentException>(() => ModelFile.Load(""));
        string missing = Path.Combine(Dir, "none.mlp");
        Assert.Equal($"{missing}: model file not found.", Assert.Throws<FileNotFoundException>(() => ModelFile.Load(missing)).Message);
        var e = Assert.Throws<ModelFormatException>(() => ModelFile.Load(Dir));
        Assert.Equal($"{Dir}: is a directory, not an Engine model file.", e.Message);
        Assert.Equal("model", Assert.Throws<ArgumentNullException>(() => ModelFile.Save(missing, null!, Samples.Metadata(2, 2))).ParamName);
        Assert.Equal("metadata", Assert.Throws<ArgumentNullException>(() => ModelFile.Save(missing, new Sequential<float>(new Dense<float>(2, 2)), null!)).ParamName);
        Assert.False(File.Exists(missing));
    }

    [Fact]
    public void TheFramingIsCheckedWithExactReasons()
    {
        Assert.Equal("file is 19 bytes, too short to be an Engine model file (truncated?).", Refusal(new byte[19]));
        // 20 bytes: the shortest frame, an empty header and payload: the header is checked next
        Assert.StartsWith("header is not valid JSON (", Refusal(File_("", [])), StringComparison.Ordinal);
        Assert.Equal("header is empty.", Refusal(File_("null", [])));
        Assert.Equal("not an Engine model file (wrong magic bytes).", Refusal(File_(Header(), magic: "ENGNCKP\0"u8.ToArray())));
        Assert.Equal("model file format version 2 is not supported (this build reads version 1).", Refusal(File_(Header(), version: 2)));

        byte[] bytes = File_(Header());
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(12), (uint)bytes.Length);
        Assert.Equal($"header length {bytes.Length} does not fit in a {bytes.Length}-byte file (truncated or corrupted).", Refusal(bytes));

        bytes = File_(Header());
        uint stored = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(bytes.Length - 4));
        bytes[20] ^= 1;
        uint actual = Crc32.HashToUInt32(bytes.AsSpan(0, bytes.Length - 4));
        Assert.Equal($"checksum mismatch (stored {stored:X8}, computed {actual:X8}): the file is corrupted or truncated.", Refusal(bytes));
    }

    [Fact]
    public void TheHeaderIsCheckedWithExactReasons()
    {
        Assert.Equal("header lacks layers, tensors or metadata.", Refusal(File_(Header(layers: "[]", tensors: "[]"), [])));
        Assert.Equal("header lacks layers, tensors or metadata.", Refusal(File_(Header(meta: "null"))));
        Assert.Equal("header lacks layers, tensors or metadata.", Refusal(File_("""{"tensors":[]}""", [])));
        Assert.Equal("header lacks layers, tensors or metadata.", Refusal(File_(Header(tensors: "null"))));
        Assert.Equal("payload is 20 bytes but the architecture needs 24.", Refusal(File_(Header(), [1, 2, 3, 4, 5])));
        Assert.Equal("a layer entry is null.", Refusal(File_(Header(layers: "[null]", tensors: "[]"), [])));
        Assert.Equal("header lists 1 tensors but the layers have 2.", Refusal(File_(Header(tensors: """[{"name":"0.weight","shape":[2,2]}]"""))));
        Assert.Equal("tensor 0 is 0.bias [1, 2] but the architecture needs 0.weight [2, 2].",
            Refusal(File_(Header(tensors: """[{"name":"0.bias","shape":[1,2]},{"name":"0.weight","shape":[2,2]}]"""))));
        Assert.Equal("tensor 1 is 0.bias [] but the architecture needs 0.bias [1, 2].",
            Refusal(File_(Header(tensors: """[{"name":"0.weight","shape":[2,2]},{"name":"0.bias"}]"""))));
        Assert.Equal("tensor 1 is  [] but the architecture needs 0.bias [1, 2].", Refusal(File_(Header(tensors: """[{"name":"0.weight","shape":[2,2]},null]"""))));
        Assert.StartsWith("inconsistent architecture: ",
            Refusal(File_(Header(layers: """[{"type":"Dense","in":2,"out":2},{"type":"Dense","in":3,"out":1}]"""), new float[10])), StringComparison.Ordinal);
    }

    // ---- the metadata, one rule at a time ----

    private static readonly Sequential<float> Two = new(new Dense<float>(2, 2));

    private static string MetadataProblem(ModelMetadata m, Sequential<float>? model = null) =>
        Assert.Throws<ModelFormatException>(() => ModelFile.CheckMetadata(m, model ?? Two, what => new ModelFormatException("m.mlp", what))).Message["m.mlp: ".Length..];

    private static ModelMetadata WithEncoding(params ColumnEncoding[] columns) =>
        new(TaskKind.Classification, [.. columns.Select(c => c.Name)], "y", ["p", "q"]) { Encoding = new(columns, 1) };

    [Fact]
    public void MetadataIsCheckedWithExactReasons()
    {
        var good = Samples.Metadata(2, 2);
        ModelFile.CheckMetadata(good, Two, what => new ModelFormatException("m.mlp", what));
        Assert.Equal("metadata lacks feature names, target name or a valid task.", MetadataProblem(good with { FeatureNames = null! }));
        Assert.Equal("metadata lacks feature names, target name or a valid task.", MetadataProblem(good with { Task = (TaskKind)7 }));
        Assert.Equal("metadata has a null feature name, class name or training record.", MetadataProblem(good with { FeatureNames = ["f0", null!] }));
        Assert.Equal("metadata has a null feature name, class name or training record.", MetadataProblem(good with { ClassNames = ["c0", null!] }));
        Assert.Equal("metadata has a null feature name, class name or training record.", MetadataProblem(good with { Training = null! }));
        Assert.Equal("metadata has an encoding without columns.", MetadataProblem(good with { Encoding = new(null!, 1) }));
        Assert.Equal("metadata has an encoding without columns.", MetadataProblem(good with { Encoding = new([new ColumnEncoding("f0", ColumnKind.Numeric), null!], 1) }));
        Assert.Equal("metadata's encoding does not list the feature columns in order.",
            MetadataProblem(good with { Encoding = new([new ColumnEncoding("f1", ColumnKind.Numeric), new ColumnEncoding("f0", ColumnKind.Numeric)], 1) }));

        // a regression model without class names, and two numeric columns, is valid
        ModelFile.CheckMetadata(WithEncoding(new("a", ColumnKind.Numeric), new("b", ColumnKind.Numeric, 3f, Indicator: false)) with { Task = TaskKind.Regression, ClassNames = null },
            Two, what => new ModelFormatException("m.mlp", what));
    }

    public static TheoryData<string, ColumnEncoding> InvalidColumns => new()
    {
        { "numeric with levels", new ColumnEncoding("a", ColumnKind.Numeric, Levels: ["x"]) },
        { "numeric with a NaN median", new ColumnEncoding("a", ColumnKind.Numeric, float.NaN) },
        { "numeric with an infinite median", new ColumnEncoding("a", ColumnKind.Numeric, float.PositiveInfinity) },
        { "text without levels", new ColumnEncoding("a", ColumnKind.Categorical) },
        { "text with a null level", new ColumnEncoding("a", ColumnKind.Categorical, Levels: ["x", null!]) },
        { "text with an indicator", new ColumnEncoding("a", ColumnKind.Categorical, Indicator: true, Levels: []) },
        { "a dropped column", new ColumnEncoding("a", ColumnKind.Dropped) },
    };

    [Theory]
    [MemberData(nameof(InvalidColumns))]
    public void AnInvalidColumnEncodingIsNamed(string what, ColumnEncoding column)
    {
        Assert.NotEmpty(what);
        Assert.Equal("metadata's encoding of column 'a' is invalid.", MetadataProblem(WithEncoding(column, new ColumnEncoding("b", ColumnKind.Numeric))));
    }

    [Fact]
    public void ValidTextColumnsPass()
    {
        // a: 2 levels + other + missing = 4 inputs
        var m = WithEncoding(new ColumnEncoding("n", ColumnKind.Numeric), new ColumnEncoding("a", ColumnKind.Categorical, Levels: ["x", "y"]));
        ModelFile.CheckMetadata(m, new Sequential<float>(new Dense<float>(5, 2)), what => new ModelFormatException("m.mlp", what));
        Assert.Equal("metadata's encoding lists a numeric column after a categorical one.",
            MetadataProblem(WithEncoding(new ColumnEncoding("a", ColumnKind.Categorical, Levels: ["x", "y"]), new ColumnEncoding("n", ColumnKind.Numeric)), new Sequential<float>(new Dense<float>(5, 2))));
    }

    [Fact]
    public void TheMetadataMustFitTheNetwork()
    {
        var good = Samples.Metadata(2, 2);
        Assert.Equal("metadata describes 2 inputs but layer 0 (Dense(3 → 2)) takes 3 features where it gets 2.", MetadataProblem(good, new Sequential<float>(new Dense<float>(3, 2))));
        Assert.Equal("a classification model with 3 outputs needs 3 class names.", MetadataProblem(good, new Sequential<float>(new Dense<float>(2, 3))));
        Assert.Equal("a classification model with 2 outputs needs 2 class names.", MetadataProblem(good with { ClassNames = null }));
        Assert.Equal("feature scaler has the wrong number of columns (expected 2).", MetadataProblem(good with { FeatureScaler = new("standard", [0f], [1f, 1f]) }));
        Assert.Equal("feature scaler has the wrong number of columns (expected 2).", MetadataProblem(good with { FeatureScaler = new("standard", [0f, 0f], [1f]) }));
        var regression = good with { Task = TaskKind.Regression, ClassNames = null };
        var one = new Sequential<float>(new Dense<float>(2, 1));
        ModelFile.CheckMetadata(regression with { TargetScaler = new("standard", [5f], [2f]) }, one, what => new ModelFormatException("m.mlp", what));
        Assert.Equal("target scaler has the wrong number of columns (expected 1).", MetadataProblem(regression with { TargetScaler = new("standard", [5f, 1f], [2f, 1f]) }, one));
    }

    // ---- the task's spelling ----

    [Fact]
    public void TheTaskIsWrittenAndReadAsItsTwoNames()
    {
        var model = new Sequential<float>(new Dense<float>(2, 1));
        var metadata = Samples.Metadata(2, 2) with { Task = TaskKind.Regression, ClassNames = null };
        string path = Path.Combine(Dir, "r.mlp");
        ModelFile.Save(path, model, metadata);
        Assert.Contains("\"task\":\"regression\"", Encoding.UTF8.GetString(File.ReadAllBytes(path)), StringComparison.Ordinal);
        Assert.Equal(TaskKind.Regression, ModelFile.Load(path).Metadata.Task);

        var e = Assert.Throws<JsonException>(() => ModelFile.Save(path, model, metadata with { Task = (TaskKind)7 }));
        Assert.Equal("unknown task 7.", e.Message);

        string number = Meta.Replace("\"Task\":\"classification\"", "\"Task\":1", StringComparison.Ordinal);
        Assert.NotEqual(Meta, number);
        Assert.Contains("the task must be a string, not Number: not a valid task.", Refusal(File_(Header(meta: number))), StringComparison.Ordinal);
        string other = Meta.Replace("\"Task\":\"classification\"", "\"Task\":\"Classification\"", StringComparison.Ordinal);
        Assert.Contains("'Classification' is not a valid task (expected classification or regression).", Refusal(File_(Header(meta: other))), StringComparison.Ordinal);
    }

    [Fact]
    public void OldFilesEncodingIsEveryFeatureNumericImputedWithTheOffsets()
    {
        var encoding = TableEncoding.AllNumeric(["a", "b"], [1.5f, -2f]);
        Assert.Equal([("a", ColumnKind.Numeric, 1.5f), ("b", ColumnKind.Numeric, -2f)], encoding.Columns.Select(c => (c.Name, c.Kind, c.Median)));
        Assert.All(encoding.Columns, c => Assert.False(c.Indicator));
        Assert.Equal(1, encoding.MinLevelCount);
        Assert.Equal([0f, 0f], TableEncoding.AllNumeric(["a", "b"], [1.5f]).Columns.Select(c => c.Median)); // a fill of the wrong length is ignored
        Assert.Equal([0f, 0f], TableEncoding.AllNumeric(["a", "b"]).Columns.Select(c => c.Median));
        Assert.Equal("featureNames", Assert.Throws<ArgumentNullException>(() => TableEncoding.AllNumeric(null!)).ParamName);
    }
}
