using System.Diagnostics;
using CsCheck;
using Xunit.Abstractions;
using Xunit.Sdk;
using static Engine.Tests.Data.CsvFuzzCases;

namespace Engine.Tests.Data;

/// <summary>The CSV fuzz tests measure process-wide allocation and thread counts, so they run alone.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class CsvFuzzCollection
{
    public const string Name = "CSV fuzzing";
}

/// <summary>
/// Property tests of <see cref="CsvDataset.Load(string, CsvLoadOptions?)"/> and <see cref="CsvDataset.LoadFeatures"/> on
/// generated and hostile files: valid tables written every way (encodings, BOMs, line endings, quoting, blank
/// lines, gzip) checked bit for bit against a reference; random bytes and CSV-like noise; every truncation of small
/// files, plain and gzip; bit flips; inserted bad bytes; gzip trailers that lie; very long lines. The property: the
/// load gives the reference's result (or, for mutated input, a sane one), or throws <see cref="DataFormatException"/>
/// whose message starts with the path; within 10 s, allocating at most 64 MB + 40 × what the file inflates to, and
/// leaving no loader thread behind. Input i comes from its own PCG seeded Seed + i; a failure prints the CsCheck seed
/// and the file in base64, ready for Engine.Tests/Corpus/csv/.
/// </summary>
[Collection(CsvFuzzCollection.Name)]
public sealed class CsvFuzzTests(ITestOutputHelper output) : TempDirectoryTests("engine-csvfuzz-")
{
    private const ulong Seed = 0xC5F0_0001;
    private static readonly TimeSpan Watchdog = TimeSpan.FromSeconds(10);

    // ---------------------------------------------------------------- the property

    internal sealed class Stats
    {
        public int Tried { get; private set; }
        public int Loaded { get; private set; }
        public TimeSpan Slowest { get; private set; }
        public long MostAllocated { get; private set; }

        public void Add(bool loaded, TimeSpan elapsed, long allocated)
        {
            Tried++;
            if (loaded)
                Loaded++;
            Slowest = elapsed > Slowest ? elapsed : Slowest;
            MostAllocated = Math.Max(MostAllocated, allocated);
        }
    }

    private static object Load(string path, Case c)
    {
        var t = c.Table;
        return c.Api switch
        {
            Api.Load => CsvDataset.Load(path, null, c.Pipelined),
            Api.LoadByName => CsvDataset.Load(path, new CsvLoadOptions { Target = t.Header[t.Target] }, c.Pipelined),
            Api.LoadByIndex => CsvDataset.Load(path, new CsvLoadOptions { TargetIndex = t.Target }, c.Pipelined),
            _ when c.Pipelined is null => CsvDataset.LoadFeatures(path, [.. c.Features.Select(j => t.Header[j])]),
            _ => CsvTable.Read(path, new CsvLoadOptions { Features = [.. c.Features.Select(j => t.Header[j])] }, requireTarget: false, c.Pipelined).Features,
        };
    }

    /// <summary>
    /// Writes <paramref name="bytes"/>, loads them under a watchdog and returns the result: a Dataset or Matrix, or null
    /// when refused with a DataFormatException naming the file. Anything else fails the test.
    /// </summary>
    internal static object? CheckFile(string path, byte[] bytes, Case c, Stats stats)
    {
        File.WriteAllBytes(path, bytes);
        long justified = bytes.Length;
        try
        {
            justified = Math.Max(justified, Inflate(bytes).Length);
        }
        catch (InvalidDataException)
        {
        }
        long before = GC.GetTotalAllocatedBytes(precise: true);
        long start = Stopwatch.GetTimestamp();
        var task = Task.Run(() => Load(path, c));
        if (Task.WaitAny([task], Watchdog) < 0)
            throw new XunitException($"no result after {Watchdog.TotalSeconds} s (a hang?)");
        var elapsed = Stopwatch.GetElapsedTime(start);
        long allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
        object? result = null;
        if (task.IsFaulted)
        {
            var e = task.Exception!.InnerException!;
            if (e is not DataFormatException)
                throw new XunitException($"threw {e.GetType().Name}, not DataFormatException: {e}");
            if (!e.Message.StartsWith(path, StringComparison.Ordinal))
                throw new XunitException($"the message does not start with the path: {e.Message}");
        }
        else
        {
            result = task.Result;
        }
        long allowed = (64L << 20) + (40 * justified);
        if (allocated > allowed)
            throw new XunitException($"allocated {allocated:N0} bytes for a {bytes.Length:N0}-byte file ({justified:N0} inflated); at most {allowed:N0} allowed.");
        stats.Add(result is not null, elapsed, allocated);
        if (result is not null)
            CheckSane(result, c);
        if (result is not null && MustBeRefused(bytes) is string why)
            throw new XunitException($"loaded, but {why}");
        return result;
    }

    /// <summary>Why a file must be refused whatever else is in it: a corrupt gzip stream, or text that is not valid in its encoding.</summary>
    private static string? MustBeRefused(byte[] bytes)
    {
        byte[] text;
        try
        {
            text = Inflate(bytes);
        }
        catch (InvalidDataException)
        {
            return "the gzip stream is corrupt";
        }
        if (text.Length >= 2 && (text[0], text[1]) is (0xFF, 0xFE) or (0xFE, 0xFF))
        {
            if (text.Length >= 4 && text[0] == 0xFF && text[2] == 0 && text[3] == 0)
                return null; // UTF-32: not checked
            var encoding = text[0] == 0xFF ? new UnicodeEncoding(false, false, throwOnInvalidBytes: true) : new UnicodeEncoding(true, false, throwOnInvalidBytes: true);
            return Valid(encoding, text.AsSpan(2)) ? null : "the file is not valid UTF-16";
        }
        if (text.Length >= 4 && text[0] == 0 && text[1] == 0 && text[2] == 0xFE && text[3] == 0xFF)
            return null;
        var utf8 = new UTF8Encoding(false, throwOnInvalidBytes: true);
        var body = text.AsSpan().StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]) ? text.AsSpan(3) : text;
        return Valid(utf8, body) ? null : "the file is not valid UTF-8";
    }

    private static bool Valid(Encoding encoding, ReadOnlySpan<byte> bytes)
    {
        try
        {
            encoding.GetCharCount(bytes);
            return true;
        }
        catch (DecoderFallbackException)
        {
            return false;
        }
    }

    /// <summary>What any loaded result must be: at least a row, finite features of the requested width, targets that are class indices or finite.</summary>
    private static void CheckSane(object result, Case c)
    {
        var features = result is Dataset d ? d.Features : (Matrix<float>)result;
        Assert.True(features.Rows >= 1);
        foreach (float v in features.AsSpan())
            Assert.True(float.IsFinite(v));
        if (result is Dataset data)
        {
            Assert.Equal(data.FeatureNames.Count, features.Cols);
            Assert.Equal(features.Rows, data.Targets.Rows);
            for (int i = 0; i < data.Count; i++)
            {
                float y = data.Targets[i, 0];
                Assert.True(float.IsFinite(y));
                if (data.Task == TaskKind.Classification)
                    Assert.True(data.ClassCount >= 2 && y == Math.Floor(y) && y >= 0 && y < data.ClassCount);
            }
        }
        else
        {
            Assert.Equal(c.Features.Length, features.Cols);
        }
    }

    /// <summary>The loaded result is exactly the reference's: values bit for bit, rows, names, task and labels.</summary>
    private static void CheckExact(object? result, Expected? expected)
    {
        if (expected is null)
        {
            Assert.True(result is null, "loaded a file the reference refuses");
            return;
        }
        Assert.True(result is not null, "refused a file the reference loads");
        CheckRows(result, expected, expected.Rows);
        var features = result is Dataset d ? d.Features : (Matrix<float>)result;
        Assert.Equal(expected.Rows, features.Rows);
        if (result is Dataset data)
        {
            Assert.Equal(expected.FeatureNames, data.FeatureNames);
            Assert.Equal(expected.Task, data.Task);
            if (data.Task == TaskKind.Classification)
                Assert.Equal(expected.Labels!.Select(Canonical).Distinct(StringComparer.Ordinal).Count(), data.ClassCount);
        }
    }

    /// <summary>The first <paramref name="rows"/> rows of the result are the reference's.</summary>
    private static void CheckRows(object result, Expected expected, int rows)
    {
        var features = result is Dataset d ? d.Features : (Matrix<float>)result;
        Assert.Equal(expected.FeatureNames.Length, features.Cols);
        var actual = features.AsSpan();
        for (int i = 0; i < rows * features.Cols; i++)
        {
            if (BitConverter.SingleToInt32Bits(actual[i]) != BitConverter.SingleToInt32Bits(expected.Values[i]))
                Assert.Fail($"value {i} (row {i / features.Cols}) is {actual[i]:R}, the reference says {expected.Values[i]:R}.");
        }
        if (result is Dataset data)
        {
            for (int i = 0; i < rows; i++)
                Assert.True(SameLabel(data, i, expected.Labels![i]), $"row {i}: target {data.Targets[i, 0]} is not '{expected.Labels![i]}'");
        }
    }

    /// <summary>Runs <paramref name="count"/> inputs of <paramref name="gen"/>, input i from its own PCG seeded Seed + i.</summary>
    private void Run<T>(string what, Gen<T> gen, int count, Func<T, (byte[] Bytes, Case Case)> build, Action<T, object?>? check = null)
    {
        string path = Path.Combine(Dir, "fuzz.csv");
        var stats = new Stats();
        for (int i = 0; i < count; i++)
        {
            var pcg = new PCG(1, Seed + (ulong)i);
            string replay = pcg.ToString();
            var input = gen.Generate(pcg, null, out _);
            var (bytes, c) = build(input);
            try
            {
                object? result = CheckFile(path, bytes, c, stats);
                check?.Invoke(input, result);
            }
            catch (Exception e)
            {
                throw new XunitException(
                    $"{what}: input {i} (CsCheck seed {replay}, {c}) broke the loader: {e}\nbase64 of the file:\n{Convert.ToBase64String(bytes)}");
            }
        }
        Report(what, stats);
    }

    private void Report(string what, Stats stats) =>
        output.WriteLine($"{what}: {stats.Tried} inputs tried, {stats.Loaded} loaded, {stats.Tried - stats.Loaded} refused, " +
            $"slowest {stats.Slowest.TotalMilliseconds:F1} ms, most allocated {stats.MostAllocated / 1024.0 / 1024.0:F1} MB");

    // A case for input that is not a generated table: load with the last column as target, or its features only.
    private static Case Plain(bool features, bool? pipelined) =>
        new(new Table(["a", "b"], [], 1), new Layout(TextEncoding.Utf8, LineEnds.Lf, false, false, true, false, 0),
            features ? Api.LoadFeatures : Api.Load, features ? [0] : [], pipelined);

    private static readonly Gen<bool?> Pipelined = Gen.Int[0, 2].Select(i => i switch { 0 => (bool?)null, 1 => false, _ => true });

    // ---------------------------------------------------------------- the corpus: inputs that once broke the loader

    // Engine.Tests/Corpus/csv, found from the test binaries upwards (bin/Release/net10.0 sits in Engine.Tests).
    private static string CorpusDirectory()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "Corpus", "csv");
            if (Directory.Exists(candidate))
                return candidate;
        }
        throw new DirectoryNotFoundException($"Corpus/csv not found above {AppContext.BaseDirectory}.");
    }

    public static TheoryData<string> CorpusFiles => new(
        Directory.GetFiles(CorpusDirectory()).Select(f => Path.GetFileName(f)).Where(f => !f.EndsWith(".md", StringComparison.Ordinal)).Order(StringComparer.Ordinal));

    /// <summary>Each corpus file is refused, whichever column is the target, decoded on one thread or two.</summary>
    [Theory]
    [MemberData(nameof(CorpusFiles))]
    public void CorpusFileIsRefused(string name)
    {
        byte[] bytes = File.ReadAllBytes(Path.Combine(CorpusDirectory(), name));
        var stats = new Stats();
        foreach (bool? pipelined in new bool?[] { null, false, true })
        {
            Assert.Null(CheckFile(Path.Combine(Dir, name), bytes, Plain(false, pipelined), stats));
            for (int target = 0; target < 4; target++)
            {
                var c = new Case(new Table(["a", "b", "c", "d"], [], target), Plain(false, pipelined).Layout, Api.LoadByIndex, [], pipelined);
                Assert.Null(CheckFile(Path.Combine(Dir, name), bytes, c, stats));
            }
        }
    }

    // ---------------------------------------------------------------- valid tables, against the reference

    [Fact]
    public void GeneratedTablesLoadAsTheReferenceSays() =>
        Run("generated tables", Cases(7, 12), 1500, c => (Write(c.Table, c.Layout), c), (c, result) => CheckExact(result, Reference(c)));

    [Fact]
    public void GeneratedTablesAcrossConverterBatches() =>
        Run("generated tables of up to 700 rows", Cases(4, 700, valid: true), 40, c => (Write(c.Table, c.Layout), c), (c, result) => CheckExact(result, Reference(c)));

    // ---------------------------------------------------------------- noise

    [Fact]
    public void RandomBytes()
    {
        var gen = Gen.Select(Gen.Byte.Array[0, 300], Pipelined, Gen.Bool);
        Run("random bytes", gen, 1500, t => (t.Item1, Plain(t.Item3, t.Item2)));
    }

    [Fact]
    public void CsvLikeNoise()
    {
        // text from a CSV's alphabet, behind a valid header half the time
        var alphabet = Gen.OneOf("0", "1", "7", ".", ",", ",", "-", "e", "E", "+", "\"", "\"", "\r", "\n", "\n", " ", "a", "\0", "\uFFFD", "é", "1e39", "\r\n");
        var gen = Gen.Select(alphabet.Array[0, 120], Gen.Bool, Pipelined, Gen.Bool);
        Run("CSV-like noise", gen, 2000, t =>
        {
            var (tokens, header, pipelined, features) = t;
            string text = (header ? "a,b\n" : "") + string.Concat(tokens);
            return (Encoding.UTF8.GetBytes(text), Plain(features, pipelined));
        });
    }

    // ---------------------------------------------------------------- truncations, bit flips, inserted bytes

    /// <summary>Small valid cases (the reference loads them), reproducible from their index.</summary>
    private static IEnumerable<Case> SmallValidCases(int count, int maxBytes)
    {
        var gen = Cases(5, 6);
        int found = 0;
        for (ulong i = 0; found < count; i++)
        {
            var c = gen.Generate(new PCG(7, Seed + i), null, out _);
            if (Reference(c) is not null && Write(c.Table, c.Layout).Length <= maxBytes)
            {
                found++;
                yield return c;
            }
        }
    }

    [Fact]
    public void EveryTruncation()
    {
        string path = Path.Combine(Dir, "trunc.csv");
        var stats = new Stats();
        int file = 0;
        foreach (var c in SmallValidCases(12, 220))
        {
            byte[] valid = Write(c.Table, c.Layout);
            var expected = Reference(c)!;
            for (int length = 0; length <= valid.Length; length++)
            {
                foreach (bool pipelined in new[] { false, true })
                {
                    byte[] bytes = valid[..length];
                    var cut = c with { Pipelined = pipelined };
                    try
                    {
                        object? result = CheckFile(path, bytes, cut, stats);
                        if (length == valid.Length)
                            CheckExact(result, expected);
                        else if (result is not null && !c.Layout.Gzip)
                            CheckPrefix(result, expected);
                    }
                    catch (Exception e)
                    {
                        throw new XunitException($"file {file} ({cut}) cut to {length} of {valid.Length} bytes: {e}\nbase64 of the file:\n{Convert.ToBase64String(bytes)}");
                    }
                }
            }
            file++;
        }
        Report("truncations", stats);
    }

    // A cut file that loads has the header and the rows before the cut row exactly.
    private static void CheckPrefix(object result, Expected expected)
    {
        int rows = result is Dataset d ? d.Count : ((Matrix<float>)result).Rows;
        Assert.True(rows <= expected.Rows);
        if (result is Dataset data)
            Assert.Equal(expected.FeatureNames, data.FeatureNames);
        CheckRows(result, expected, rows - 1);
    }

    [Fact]
    public void BitFlips()
    {
        var cases = SmallValidCases(40, 400).ToArray();
        var gen = Gen.Int[0, cases.Length - 1].SelectMany(k => Gen.Select(Gen.Const(k), Gen.Int[0, (Write(cases[k].Table, cases[k].Layout).Length * 8) - 1].Array[1, 3]));
        Run("bit flips", gen, 1500, t =>
        {
            var c = cases[t.Item1];
            byte[] bytes = Write(c.Table, c.Layout);
            foreach (int bit in t.Item2)
                bytes[bit / 8] ^= (byte)(1 << (bit % 8));
            return (bytes, c);
        });
    }

    // Bytes that are invalid UTF-8, NULs, BOMs and CSV structure, inserted into valid files (before any gzip).
    private static readonly byte[][] Insertions =
    [
        [0x00], [0xFF], [0x80], [0xC3], [0xC0, 0x80], [0xED, 0xA0, 0x80], [0xE2, 0x82], [0xF4, 0x90, 0x80, 0x80], [0xEF, 0xBB, 0xBF],
        [0xFF, 0xFE], [(byte)'"'], [(byte)','], [(byte)'\r'], [(byte)'\n'], [(byte)' '], [0xD8, 0x00], [0xDC, 0x00],
    ];

    [Fact]
    public void InsertedBytes()
    {
        var cases = SmallValidCases(40, 400).ToArray();
        var gen = Gen.Select(Gen.Int[0, cases.Length - 1], Gen.Select(Gen.UInt, Gen.Int[0, Insertions.Length - 1]).Array[1, 3]);
        Run("inserted bytes", gen, 1500, t =>
        {
            var c = cases[t.Item1];
            byte[] text = Write(c.Table, c.Layout with { Gzip = false });
            foreach (var (where, what) in t.Item2)
            {
                int at = (int)(where % (uint)(text.Length + 1));
                text = [.. text[..at], .. Insertions[what], .. text[at..]];
            }
            return (c.Layout.Gzip ? Gzip(text) : text, c);
        });
    }

    // ---------------------------------------------------------------- gzip

    [Fact]
    public void GzipOfGarbageAndLyingTrailers()
    {
        var cases = SmallValidCases(20, 400).ToArray();
        var sizes = Gen.OneOf(0u, 1u, 17u, 1u << 20, 1u << 28, 0x7FFF_FFFFu, 0xFFFF_FFFFu);
        var gen = Gen.Select(Gen.Int[0, 2], Gen.Int[0, cases.Length - 1], Gen.Byte.Array[0, 300], Gen.OneOf(sizes, Gen.UInt), Pipelined);
        Run("gzip of garbage, lying trailers", gen, 800, t =>
        {
            var (kind, k, garbage, size, pipelined) = t;
            var c = cases[k] with { Pipelined = pipelined };
            byte[] bytes = kind switch
            {
                0 => Gzip(garbage),
                1 => Gzip(Write(c.Table, c.Layout with { Gzip = false })),
                _ => [0x1f, 0x8b, .. garbage], // the magic, then noise
            };
            if (kind == 1 && bytes.Length >= 18)
                System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(bytes.Length - 4), size);
            return (bytes, kind == 0 ? Plain(false, pipelined) : c);
        });
    }

    // ---------------------------------------------------------------- long lines

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void VeryLongLines(bool pipelined)
    {
        string path = Path.Combine(Dir, "long.csv");
        var stats = new Stats();
        string mb = new('1', 1 << 20);
        var wide = Enumerable.Range(0, 100_000);
        (string Text, bool Loads)[] inputs =
        [
            ($"a,b\n{mb},1\n1,2\n", false), // 1.1e1048575: infinite
            ($"a,b\n0.{new string('0', 1 << 20)}1,1\n1,2\n", true), // underflows to 0
            ($"a,b\n1,{mb}\n1,2\n", true), // a 1 MB class label
            ($"a,b\n\"1,{mb}\",1\n1,2\n", false),
            ($"a,b\n1,\"{mb.Replace("11", "1\n", StringComparison.Ordinal)}\"\n1,2\n", true), // a label of 512k lines
            ($"a,b\n\"{mb}", false), // an unclosed quote to the end
            ($"{string.Join(",", wide.Select(j => $"c{j}"))}\n{string.Join(",", wide.Select(j => j % 2))}\n{string.Join(",", wide.Select(j => j % 3))}\n", true),
            ($"{string.Join(",", wide.Select(j => $"c{j}"))}\n{string.Join(",", wide.Select(j => $"\"{j}.5\""))}\n{string.Join(",", wide.Select(j => j % 3))}\n", true),
            ($"a,b\n{string.Join(",", wide.Select(j => j % 2))}\n", false), // 100k fields under a 2-column header
            ($"a,b\n1,2\n{new string(',', 100_000)}\n", false),
        ];
        foreach (var (text, loads) in inputs)
        {
            byte[] bytes = Encoding.UTF8.GetBytes(text);
            foreach (byte[] file in new[] { bytes, Gzip(bytes) })
            {
                var result = CheckFile(path, file, Plain(false, pipelined), stats);
                Assert.Equal(loads, result is not null);
            }
        }
        Report($"very long lines (pipelined {pipelined})", stats);
    }

    // ---------------------------------------------------------------- threads

    // OS threads whose name starts like the loader's ("CsvDataset decode", "CsvDataset convert"; Linux keeps 15 characters).
    private static int LoaderThreads()
    {
        if (!Directory.Exists("/proc/self/task"))
            return 0;
        int n = 0;
        foreach (string task in Directory.GetDirectories("/proc/self/task"))
        {
            try
            {
                if (File.ReadAllText(Path.Combine(task, "comm")).StartsWith("CsvDataset", StringComparison.Ordinal))
                    n++;
            }
            catch (IOException)
            {
            }
        }
        return n;
    }

    [Fact]
    public void NoThreadOutlivesALoad()
    {
        // the counter sees a thread named like the loader's (else the check below would prove nothing)
        using (var release = new ManualResetEventSlim())
        {
            var probe = new Thread(() => release.Wait()) { IsBackground = true, Name = "CsvDataset probe" };
            probe.Start();
            for (int wait = 0; wait < 50 && LoaderThreads() == 0 && Directory.Exists("/proc/self/task"); wait++)
                Thread.Sleep(10);
            Assert.True(LoaderThreads() == 1 || !Directory.Exists("/proc/self/task"), "named threads are not visible in /proc/self/task/*/comm");
            release.Set();
            probe.Join();
        }
        var cases = SmallValidCases(10, 400).ToArray();
        string path = Path.Combine(Dir, "threads.csv");
        var stats = new Stats();
        int before = Process.GetCurrentProcess().Threads.Count;
        for (int i = 0; i < 300; i++)
        {
            var c = cases[i % cases.Length] with { Pipelined = true };
            byte[] bytes = Write(c.Table, c.Layout);
            // a third load, the rest fail: at the header, in a value (converter thread), in the gzip stream (decoder thread)
            bytes = (i % 6) switch
            {
                0 or 1 => bytes,
                2 => [.. "a,a\n"u8, .. bytes],
                3 => [.. bytes, .. "\n1,2,3,4,5,6,7,8\n"u8],
                4 => Gzip([.. Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("a,b\n1,2\n", 3))), 0xFF]),
                _ => Gzip(bytes)[..^9],
            };
            CheckFile(path, bytes, c, stats);
        }
        for (int wait = 0; wait < 50 && LoaderThreads() > 0; wait++)
            Thread.Sleep(20);
        int after = Process.GetCurrentProcess().Threads.Count;
        Report("thread check", stats);
        output.WriteLine($"threads before {before}, after {after}, loader threads left {LoaderThreads()}");
        Assert.Equal(0, LoaderThreads());
        Assert.True(after <= before + 16, $"{before} threads before 300 loads, {after} after");
    }
}
