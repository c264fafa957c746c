using System.Buffers.Binary;
using System.Diagnostics;
using System.IO.Hashing;
using System.Text.Json;
using System.Text.Json.Nodes;
using CsCheck;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace Engine.Tests.Serialization;

/// <summary>
/// Property tests of the two model readers on hostile bytes: random files, every truncation, bit flips,
/// absurd header lengths, JSON headers with tokens swapped for absurd values, and architectures with
/// absurd sizes. The property: <c>Load</c> returns a usable model or throws <see cref="ModelFormatException"/>
/// naming the file, within bounded time and allocation; never another exception, never a hang.
/// Inputs come from CsCheck generators driven by a fixed seed (one PCG per input, so each is reproducible
/// on its own, and the whole run identical every time); a failure prints the input's index, its CsCheck
/// seed (<c>gen.Sample(check, seed: "…")</c> replays it, and shrinks it) and the file's bytes in base64,
/// ready to be added to Engine.Tests/Corpus/models/.
/// </summary>
public sealed class ModelFileFuzzTests(ITestOutputHelper output) : TempDirectoryTests("engine-fuzz-")
{
    private const ulong Seed = 0x5AFE7E45;
    private static readonly TimeSpan Watchdog = TimeSpan.FromSeconds(60);

    public enum Format
    {
        Mlp,
        Safetensors,
    }

    internal enum Outcome
    {
        Loaded,
        Refused,
    }

    // ---------------------------------------------------------------- the property

    private static (Sequential<float> Model, ModelMetadata Metadata) Load(Format format, string path) =>
        format == Format.Mlp ? ModelFile.Load(path) : Safetensors.Load(path);

    /// <summary>Writes <paramref name="bytes"/> and loads them: the model must be usable, or the file refused by a ModelFormatException naming it.</summary>
    internal static Outcome CheckFile(Format format, string path, byte[] bytes, Stats stats)
    {
        File.WriteAllBytes(path, bytes);
        long allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        long start = Stopwatch.GetTimestamp();
        Outcome outcome;
        try
        {
            var (model, metadata) = Load(format, path);
            CheckUsable(model, metadata);
            outcome = Outcome.Loaded;
        }
        catch (ModelFormatException e)
        {
            Assert.StartsWith(path, e.Message, StringComparison.Ordinal);
            outcome = Outcome.Refused;
        }
        var elapsed = Stopwatch.GetElapsedTime(start);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
        // a reader may allocate in proportion to the file, not to what the file claims
        Assert.True(allocated <= (8L << 20) + 16L * bytes.Length, $"allocated {allocated} bytes for a {bytes.Length}-byte file");
        Assert.True(elapsed < TimeSpan.FromSeconds(5), $"took {elapsed.TotalMilliseconds:F0} ms");
        stats.Add(outcome, elapsed);
        return outcome;
    }

    // A loaded model must run on a row of its declared features, and its metadata honour its nullability.
    private static void CheckUsable(Sequential<float> model, ModelMetadata metadata)
    {
        Assert.NotNull(metadata.Training);
        Assert.All(metadata.FeatureNames, n => Assert.NotNull(n));
        var y = model.Forward(new Matrix<float>(2, metadata.FeatureNames.Length));
        Assert.Equal(2, y.Rows);
        if (metadata.Task == TaskKind.Classification)
            Assert.Equal(metadata.ClassNames!.Length, y.Cols);
    }

    internal sealed class Stats
    {
        public int Tried { get; private set; }
        public int Loaded { get; private set; }
        public TimeSpan Slowest { get; private set; }

        public void Add(Outcome outcome, TimeSpan elapsed)
        {
            Tried++;
            if (outcome == Outcome.Loaded)
                Loaded++;
            if (elapsed > Slowest)
                Slowest = elapsed;
        }
    }

    /// <summary>Runs <paramref name="count"/> inputs of <paramref name="gen"/>, input i from its own PCG seeded Seed + i, under a watchdog.</summary>
    private async Task Run<T>(Format format, string what, Gen<T> gen, int count, Func<T, byte[]> build, Func<T, bool>? mustRefuse = null)
    {
        string path = Path.Combine(Dir, format == Format.Mlp ? "fuzz.mlp" : "fuzz.safetensors");
        var stats = new Stats();
        var task = Task.Run(() =>
        {
            for (int i = 0; i < count; i++)
            {
                var pcg = new PCG(1, Seed + (ulong)i);
                string replay = pcg.ToString();
                var input = gen.Generate(pcg, null, out _);
                byte[] bytes = build(input);
                try
                {
                    if (CheckFile(format, path, bytes, stats) == Outcome.Loaded && mustRefuse?.Invoke(input) == true)
                        throw new XunitException("the file was loaded but must be refused");
                }
                catch (Exception e)
                {
                    throw new XunitException(
                        $"{format} {what}: input {i} (CsCheck seed {replay}) broke the reader: {e}\nbase64 of the file:\n{Convert.ToBase64String(bytes)}");
                }
            }
        });
        if (await Task.WhenAny(task, Task.Delay(Watchdog)) != task)
            throw new XunitException($"{format} {what}: no result after {Watchdog.TotalSeconds} s (a hang?) at {stats.Tried} inputs.");
        await task;
        Report(format, what, stats);
    }

    private void Report(Format format, string what, Stats stats) =>
        output.WriteLine($"{format} {what}: {stats.Tried} inputs tried, {stats.Loaded} loaded, {stats.Tried - stats.Loaded} refused, slowest {stats.Slowest.TotalMilliseconds:F1} ms");

    // ---------------------------------------------------------------- the corpus: inputs that once broke a reader

    private static string CorpusDirectory() => TestData.TestsFile("Corpus", "models");

    public static TheoryData<string> CorpusFiles => new(
        Directory.GetFiles(CorpusDirectory()).Select(f => Path.GetFileName(f)).Where(f => f.EndsWith(".mlp", StringComparison.Ordinal) || f.EndsWith(".safetensors", StringComparison.Ordinal)).Order(StringComparer.Ordinal));

    [Theory]
    [MemberData(nameof(CorpusFiles))]
    public void CorpusFileIsRefused(string name)
    {
        byte[] bytes = File.ReadAllBytes(Path.Combine(CorpusDirectory(), name));
        var format = name.EndsWith(".mlp", StringComparison.Ordinal) ? Format.Mlp : Format.Safetensors;
        var stats = new Stats();
        CheckFile(format, Path.Combine(Dir, name), bytes, stats);
        Assert.Equal(0, stats.Loaded);
    }

    // ---------------------------------------------------------------- valid files and how to rebuild them

    private static Sequential<float> SmallModel()
    {
        var model = new Sequential<float>(
            new Dense<float>(3, 4), new PReLU<float>(4), new Dense<float>(4, 4), new LeakyReLU<float>(0.1), new Dense<float>(4, 2));
        model.Initialize(5);
        return model;
    }

    private byte[] Valid(Format format)
    {
        string path = Path.Combine(Dir, format == Format.Mlp ? "valid.mlp" : "valid.safetensors");
        if (format == Format.Mlp)
            ModelFile.Save(path, SmallModel(), Samples.Metadata(3, 2));
        else
            Safetensors.Save(path, SmallModel(), Samples.Metadata(3, 2));
        return File.ReadAllBytes(path);
    }

    private static byte[] WithCrc(byte[] mlp)
    {
        if (mlp.Length >= 4)
            BinaryPrimitives.WriteUInt32LittleEndian(mlp.AsSpan(mlp.Length - 4), Crc32.HashToUInt32(mlp.AsSpan(0, mlp.Length - 4)));
        return mlp;
    }

    private static (byte[] Header, byte[] Data) SplitMlp(byte[] mlp)
    {
        int n = (int)BinaryPrimitives.ReadUInt32LittleEndian(mlp.AsSpan(12));
        return (mlp[16..(16 + n)], mlp[(16 + n)..^4]);
    }

    private static byte[] BuildMlp(byte[] header, byte[] data)
    {
        var file = new byte[16 + header.Length + data.Length + 4];
        "ENGNMLP\0"u8.CopyTo(file);
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(8), ModelFile.Version);
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(12), (uint)header.Length);
        header.CopyTo(file, 16);
        data.CopyTo(file, 16 + header.Length);
        return WithCrc(file);
    }

    private static (byte[] Header, byte[] Data) SplitSafetensors(byte[] st)
    {
        int n = (int)BinaryPrimitives.ReadUInt64LittleEndian(st);
        return (st[8..(8 + n)], st[(8 + n)..]);
    }

    // ---------------------------------------------------------------- the inputs

    [Theory]
    [InlineData(Format.Mlp)]
    [InlineData(Format.Safetensors)]
    public Task RandomBytes(Format format)
    {
        // pure noise, and noise behind a plausible prefix (magic, version and length; for .mlp a valid checksum too)
        var gen = Gen.Select(Gen.Bool, Gen.Byte.Array[0, 400]);
        return Run(format, "random bytes", gen, 2000, t =>
        {
            var (plausible, noise) = t;
            if (!plausible)
                return noise;
            if (format == Format.Mlp)
                return BuildMlp(noise[..(noise.Length / 2)], noise[(noise.Length / 2)..]);
            return [.. BitConverter.GetBytes((ulong)(noise.Length / 2)), .. noise];
        });
    }

    [Theory]
    [InlineData(Format.Mlp)]
    [InlineData(Format.Safetensors)]
    public void EveryTruncation(Format format)
    {
        byte[] valid = Valid(format);
        string path = Path.Combine(Dir, "trunc");
        var stats = new Stats();
        for (int length = 0; length <= valid.Length; length++)
        {
            CheckFile(format, path, valid[..length], stats);
            if (format == Format.Mlp && length is >= 20 and < int.MaxValue && length < valid.Length)
                CheckFile(format, path, WithCrc(valid[..length]), stats); // the checksum fixed up: the header parser sees the cut
        }
        Assert.Equal(1, stats.Loaded); // only the whole file
        Report(format, "truncations", stats);
    }

    [Theory]
    [InlineData(Format.Mlp)]
    [InlineData(Format.Safetensors)]
    public Task BitFlips(Format format)
    {
        byte[] valid = Valid(format);
        // 1–4 flipped bits anywhere; for .mlp, half the time with the checksum recomputed so the flips reach the parser.
        // An .mlp whose flips (not cancelling out) sit under the old checksum must always be refused: CRC-32 detects
        // every error of up to 4 bits in a codeword this short (Hamming distance 4 up to 91,607 bits).
        var gen = Gen.Select(Gen.Int[0, valid.Length * 8 - 1].Array[1, 4], Gen.Bool);
        return Run(format, "bit flips", gen, 2000, t =>
        {
            var (bits, fixCrc) = t;
            byte[] bytes = (byte[])valid.Clone();
            foreach (int bit in bits)
                bytes[bit / 8] ^= (byte)(1 << (bit % 8));
            return format == Format.Mlp && fixCrc ? WithCrc(bytes) : bytes;
        }, t => format == Format.Mlp && !t.Item2 && t.Item1.GroupBy(b => b).Any(g => g.Count() % 2 == 1));
    }

    [Theory]
    [InlineData(Format.Mlp)]
    [InlineData(Format.Safetensors)]
    public Task HugeHeaderLengths(Format format)
    {
        byte[] valid = Valid(format);
        ulong length = (ulong)valid.Length;
        var interesting = Gen.OneOf<ulong>(0UL, 1UL, 7UL, 8UL, length - 8, length - 1, length, length + 1, int.MaxValue, (ulong)int.MaxValue + 1,
            uint.MaxValue, 16UL << 20, 100_000_000UL, 100_000_001UL, long.MaxValue, (ulong)long.MaxValue + 1, ulong.MaxValue);
        var gen = Gen.Select(Gen.OneOf<ulong>(interesting, Gen.ULong, Gen.ULong[0, length + 64]), Gen.Bool);
        return Run(format, "header lengths", gen, 600, t =>
        {
            var (n, fixCrc) = t;
            byte[] bytes = (byte[])valid.Clone();
            if (format == Format.Mlp)
            {
                BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(12), (uint)n);
                return fixCrc ? WithCrc(bytes) : bytes;
            }
            BinaryPrimitives.WriteUInt64LittleEndian(bytes, n);
            return bytes;
        });
    }

    // Values a token may be swapped for: sizes far too large, negative, fractional, of the wrong type, invalid text.
    private static readonly string[] Replacements =
    [
        "0", "-1", "1", "2", "3", "4", "5", "8", "16384", "16777216", "16777217", "268435456", "1000000000", "2147483647", "2147483648",
        "-2147483648", "4294967296", "9223372036854775807", "18446744073709551616", "1e400", "-1e400", "1.5", "1e-400", "null", "true", "false",
        "\"\"", "\"Dense\"", "\"PReLU\"", "\"LeakyReLU\"", "\"ReLU\"", "\"Identity\"", "\"F64\"", "\"F32\"", "\"classification\"", "\"regression\"",
        "\"0.weight\"", "\"__metadata__\"", "\"NaN\"", "\"Infinity\"", "\"1e39\"", "[]", "{}", "[null]", "[[]]", "[1000000000,1000000000]",
        "[0,4000000000000000000]", "[16384,16384]", "\"\\ud800\"", "\"\\u0000\"", "\"\\\"\"", "\"\u00ff\"", RawFF,
    ];

    private const string RawFF = "<a 0xFF byte, never UTF-8>";

    // Byte ranges of every value and property name in a JSON text.
    private static List<(int Start, int Length)> Tokens(byte[] json)
    {
        var tokens = new List<(int, int)>();
        try
        {
            var reader = new Utf8JsonReader(json);
            while (reader.Read())
            {
                int start = (int)reader.TokenStartIndex;
                switch (reader.TokenType)
                {
                    case JsonTokenType.String or JsonTokenType.PropertyName:
                        tokens.Add((start, reader.ValueSpan.Length + 2));
                        break;
                    case JsonTokenType.Number or JsonTokenType.True or JsonTokenType.False or JsonTokenType.Null:
                        tokens.Add((start, reader.ValueSpan.Length));
                        break;
                    case JsonTokenType.StartArray or JsonTokenType.StartObject:
                        tokens.Add((start, 0)); // an insertion point
                        break;
                }
            }
        }
        catch (JsonException)
        {
        }
        return tokens;
    }

    private static byte[] Mutate(byte[] json, uint[] picks)
    {
        for (int k = 0; k + 1 < picks.Length; k += 2)
        {
            var tokens = Tokens(json);
            if (tokens.Count == 0)
                break;
            var (start, length) = tokens[(int)(picks[k] % (uint)tokens.Count)];
            string replacement = Replacements[picks[k + 1] % (uint)Replacements.Length];
            if (length == 0)
                replacement = picks[k + 1] % 2 == 0 ? replacement + "," : ""; // into an array or object (often invalid JSON)
            var bytes = replacement == RawFF ? [(byte)'"', 0xFF, (byte)'"'] : Encoding.UTF8.GetBytes(replacement);
            json = [.. json[..(start + (length == 0 ? 1 : 0))], .. bytes, .. json[(start + length + (length == 0 ? 1 : 0))..]];
        }
        return json;
    }

    [Theory]
    [InlineData(Format.Mlp)]
    [InlineData(Format.Safetensors)]
    public Task HeaderTokenMutations(Format format)
    {
        byte[] valid = Valid(format);
        var (header, data) = format == Format.Mlp ? SplitMlp(valid) : SplitSafetensors(valid);
        // which JSON to mutate (safetensors: the header, or the architecture or engine metadata inside it), how many tokens, which
        var gen = Gen.Select(Gen.Int[0, 2], Gen.UInt.Array[2, 6], Gen.Int[-8, 8]);
        return Run(format, "header token mutations", gen, 5000, t =>
        {
            var (which, picks, dataDelta) = t;
            byte[] mutated;
            if (format == Format.Safetensors && which > 0)
            {
                var root = JsonNode.Parse(header)!.AsObject();
                var meta = root["__metadata__"]!.AsObject();
                string key = which == 1 ? "architecture" : "engine_metadata";
                byte[] inner = Encoding.UTF8.GetBytes(meta[key]!.GetValue<string>());
                meta[key] = Encoding.UTF8.GetString(Mutate(inner, picks));
                mutated = Encoding.UTF8.GetBytes(root.ToJsonString());
            }
            else
            {
                mutated = Mutate(header.AsSpan().TrimEnd((byte)' ').ToArray(), picks);
            }
            // now and then the data section a few bytes longer or shorter as well
            byte[] payload = dataDelta is > 0 and < 4 ? [.. data, .. new byte[dataDelta]]
                : dataDelta is < 0 and > -4 ? data[..^(-dataDelta)] : data;
            return format == Format.Mlp ? BuildMlp(mutated, payload) : SafetensorsTests.Build(mutated, payload);
        });
    }

    // ---------------------------------------------------------------- architectures with absurd sizes

    private static readonly Gen<int?> Size = Gen.Frequency(
        (6, Gen.Int[1, 6].Select(i => (int?)i)),
        (4, Gen.OneOf<int?>(0, -1, 16384, 1 << 24, (1 << 24) + 1, 1 << 28, 1_000_000_000, int.MaxValue, int.MinValue, null)));

    private static readonly Gen<LayerSpec> Layer = Gen.Frequency(
        (4, Gen.Select(Size, Size, (i, o) => new LayerSpec("Dense", i, o))),
        (2, Gen.Select(Size, Gen.OneOf<double?>(0.25, -3, 1e308, null), (n, s) => new LayerSpec("PReLU", Slope: s, NumParameters: n))),
        (1, Gen.OneOf<double?>(0.01, 1e300, null).Select(s => new LayerSpec("LeakyReLU", Slope: s))),
        (2, Gen.OneOf("ReLU", "Tanh", "Sigmoid", "Identity", "Conv2d", "").Select(t => new LayerSpec(t))));

    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };

    // The tensors a spec claims, as the writer would name and shape them (sizes as written, however absurd).
    private static IEnumerable<(string Name, long[] Shape)> Claimed(LayerSpec[] layers, bool torchShapes)
    {
        for (int i = 0; i < layers.Length; i++)
        {
            var l = layers[i];
            if (l.Type == "Dense")
            {
                yield return ($"{i}.weight", [l.Out ?? 0, l.In ?? 0]);
                yield return ($"{i}.bias", torchShapes ? [l.Out ?? 0] : [1, l.Out ?? 0]);
            }
            else if (l.Type == "PReLU")
            {
                yield return ($"{i}.weight", torchShapes ? [l.NumParameters ?? 0] : [1, l.NumParameters ?? 0]);
            }
        }
    }

    [Theory]
    [InlineData(Format.Mlp)]
    [InlineData(Format.Safetensors)]
    public Task AbsurdArchitectures(Format format)
    {
        // 1–4 layers with sizes from 1 to 2^31−1 (and invalid ones), the header's tensors and offsets consistent
        // with them, a payload of the true size when it is small or else a few bytes, features 1–6 or the first
        // dense layer's in
        var gen = Gen.Select(Layer.Array[1, 4], Gen.Int[0, 6], Gen.Bool, Gen.Int[0, 64]);
        return Run(format, "absurd architectures", gen, 3000, t =>
        {
            var (layers, featureChoice, truePayload, payloadFloats) = t;
            int? firstIn = layers.FirstOrDefault(l => l.Type == "Dense")?.In;
            int features = featureChoice == 0 && firstIn is > 0 and < 100 ? firstIn.Value : Math.Max(1, featureChoice);
            int? outputs = layers.LastOrDefault(l => l.Type == "Dense")?.Out;
            int classes = outputs is > 0 and < 100 ? outputs.Value : 2;
            var metadata = Samples.Metadata(features, classes);
            var tensors = Claimed(layers, torchShapes: format == Format.Safetensors).ToList();
            long claimedFloats = tensors.Sum(x => x.Shape.Aggregate(1L, (a, b) => Math.Clamp(a * b, -(1L << 40), 1L << 40)));
            int floats = truePayload && claimedFloats is >= 0 and <= 4096 ? (int)claimedFloats : payloadFloats;
            byte[] data = new byte[floats * sizeof(float)];
            if (format == Format.Mlp)
            {
                var header = new JsonObject
                {
                    ["layers"] = JsonSerializer.SerializeToNode(layers, Web),
                    ["tensors"] = new JsonArray([.. tensors.Select(x => (JsonNode)new JsonObject { ["name"] = x.Name, ["shape"] = new JsonArray([.. x.Shape.Select(d => (JsonNode)d)]) })]),
                    ["metadata"] = JsonSerializer.SerializeToNode(metadata, Web),
                };
                return BuildMlp(Encoding.UTF8.GetBytes(header.ToJsonString()), data);
            }
            var st = new JsonObject
            {
                ["__metadata__"] = new JsonObject
                {
                    ["format"] = "engine-mlp",
                    ["architecture"] = JsonSerializer.Serialize(layers, Web),
                    ["engine_metadata"] = JsonSerializer.Serialize(metadata, Web),
                },
            };
            long offset = 0;
            foreach (var (name, shape) in tensors)
            {
                long end = offset + 4 * shape.Aggregate(1L, (a, b) => Math.Clamp(a * b, -(1L << 60), 1L << 60));
                st[name] = new JsonObject
                {
                    ["dtype"] = "F32",
                    ["shape"] = new JsonArray([.. shape.Select(d => (JsonNode)d)]),
                    ["data_offsets"] = new JsonArray(offset, end),
                };
                offset = end;
            }
            return SafetensorsTests.Build(st.ToJsonString(), data);
        });
    }
}
