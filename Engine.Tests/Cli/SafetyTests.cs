using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace Engine.Tests.Cli;

/// <summary>One tiny model trained once, shared by the tests that need a model file to read.</summary>
public sealed class TinyModelFixture : IDisposable
{
    public TinyModelFixture()
    {
        Folder = Directory.CreateTempSubdirectory("engine-cli-tiny-").FullName;
        Csv = Path.Combine(Folder, "iris.csv");
        File.Copy(TestData.DataFile("iris.csv"), Csv);
        Model = Path.Combine(Folder, "iris.mlp");
        var (code, _, stderr) = CliTests.Mlp(Folder, "train", Csv, "--epochs", "2", "--hidden", "8", "--json", "--out", Model);
        Assert.True(code == 0, stderr);
    }

    public string Folder { get; }

    public string Csv { get; }

    public string Model { get; }

    public void Dispose() => Directory.Delete(Folder, recursive: true);
}

/// <summary>
/// mlp never damages what it was given: outputs that are devices, pipes, links, directories or one of the inputs,
/// outputs checked before the work, truncated gzip, divergence, signals, pipes as input, sizes that overflow.
/// </summary>
public sealed class SafetyTests(TinyModelFixture tiny) : TempDirectoryTests("engine-cli-safety-"), IClassFixture<TinyModelFixture>
{
    internal static void MakeFifo(string path)
    {
        using var mkfifo = Process.Start("mkfifo", [path]);
        mkfifo.WaitForExit();
        Assert.Equal(0, mkfifo.ExitCode);
        Assert.Equal(FileKind.Fifo, FileEntry.KindOf(path));
    }

    [Theory]
    [InlineData("train", "{csv}", "--out", "{csv}")]
    [InlineData("train", "{csv}", "--test-file", "{test}", "--out", "{test}")]
    [InlineData("train", "{csv}", "--out", "{csvlink}")]        // the same file through a symbolic link
    [InlineData("train", "{csv}", "--out", "{csvhard}")]        // and through a hard link
    [InlineData("predict", "{model}", "{csv}", "--out", "{csv}")]
    [InlineData("predict", "{model}", "{csv}", "--out", "{model}")]
    [InlineData("export", "{model}", "--out", "{model}")]
    public void AnOutputThatIsAnInputIsRefusedBeforeAnyWork(params string[] args)
    {
        string csv = Path.Combine(Dir, "x.csv"), test = Path.Combine(Dir, "t.csv"), model = Path.Combine(Dir, "m.mlp");
        File.Copy(tiny.Csv, csv);
        File.Copy(tiny.Csv, test);
        File.Copy(tiny.Model, model);
        File.CreateSymbolicLink(Path.Combine(Dir, "link.csv"), csv);
        using (var ln = Process.Start("ln", [csv, Path.Combine(Dir, "hard.csv")]))
            ln.WaitForExit();
        var before = Directory.GetFiles(Dir).ToDictionary(f => f, File.ReadAllBytes);
        string[] resolved = [.. args.Select(a => a switch
        {
            "{csv}" => csv, "{test}" => test, "{model}" => model,
            "{csvlink}" => Path.Combine(Dir, "link.csv"), "{csvhard}" => Path.Combine(Dir, "hard.csv"), _ => a,
        })];
        var (code, stdout, stderr) = CliTests.Mlp(Dir, resolved);
        Assert.Equal(2, code);
        Assert.Equal("", stdout);
        string line = Assert.Single(stderr.TrimEnd().Split('\n'));
        Assert.Contains("refusing to write over an input", line);
        foreach (var (file, bytes) in before)
            Assert.Equal(bytes, File.ReadAllBytes(file));
        Assert.Equal(before.Keys.Order(), Directory.GetFiles(Dir).Order());
    }

    [Fact]
    public async Task APipeOrASymlinkToOneIsWrittenIntoAndStaysWhatItWas()
    {
        string fifo = Path.Combine(Dir, "out.fifo");
        MakeFifo(fifo);
        string link = Path.Combine(Dir, "out.csv");
        File.CreateSymbolicLink(link, fifo);
        foreach (string target in new[] { fifo, link })
        {
            var reader = Task.Run(() => File.ReadAllText(fifo));
            var (code, _, stderr) = CliTests.Mlp(Dir, "predict", tiny.Model, tiny.Csv, "--out", target);
            Assert.True(code == 0, stderr);
            string predictions = await reader.WaitAsync(TimeSpan.FromSeconds(60));
            Assert.Equal(151, predictions.TrimEnd().Split('\n').Length);
            Assert.Equal(FileKind.Fifo, FileEntry.KindOf(fifo));
        }
        Assert.NotNull(new FileInfo(link).LinkTarget);

        // A model streamed into a pipe is the whole model file.
        var model = Task.Run(() => File.ReadAllBytes(fifo));
        var train = CliTests.Mlp(Dir, "train", tiny.Csv, "--epochs", "1", "--hidden", "4", "--json", "--out", fifo);
        Assert.True(train.ExitCode == 0, train.Stderr);
        // A pipe waits for its reader: the user is told, before the training, why the command may seem to hang.
        Assert.Contains($"mlp: --out {fifo} is a named pipe: the output is written into it when something reads it.", train.Stderr, StringComparison.Ordinal);
        byte[] bytes = await model.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.True(bytes.AsSpan(0, 8).SequenceEqual("ENGNMLP\0"u8));
        Assert.Equal(FileKind.Fifo, FileEntry.KindOf(fifo));
        Assert.Empty(Directory.GetFiles(Dir, "*.tmp", SearchOption.AllDirectories));
    }

    [Fact]
    public void ASymlinkToAFileReplacesTheFileAndKeepsTheLink()
    {
        string real = Path.Combine(Dir, "real.csv"), link = Path.Combine(Dir, "link.csv");
        File.WriteAllText(real, "old");
        File.CreateSymbolicLink(link, real);
        var (code, _, stderr) = CliTests.Mlp(Dir, "predict", tiny.Model, tiny.Csv, "--out", link);
        Assert.True(code == 0, stderr);
        Assert.Equal(real, new FileInfo(link).LinkTarget);
        Assert.StartsWith("species,", File.ReadAllText(real));
    }

    [Theory]
    [InlineData("{dir}", "is a directory")]
    [InlineData("{dir}/", "is a directory")]
    [InlineData("{dir}/missing/m.mlp", "does not exist")]
    public void EveryOutputIsCheckedBeforeLoadingAndTraining(string output, string expected)
    {
        string target = output.Replace("{dir}", Dir, StringComparison.Ordinal);
        // digits.csv would take seconds to load and train; the refusal comes first.
        var clock = Stopwatch.StartNew();
        var (code, stdout, stderr) = CliTests.Mlp(Dir, "train", TestData.DataFile("digits.csv"), "--epochs", "1000", "--out", target);
        Assert.Equal(2, code);
        Assert.Equal("", stdout);
        string line = Assert.Single(stderr.TrimEnd().Split('\n'));
        Assert.Contains(expected, line);
        Assert.StartsWith("mlp: --out ", line);
        Assert.InRange(clock.Elapsed.TotalSeconds, 0, 20);
        var export = CliTests.Mlp(Dir, "export", tiny.Model, "--out", target);
        Assert.Equal(2, export.ExitCode);
        Assert.Contains(expected, export.Stderr);
    }

    [Fact]
    public void StaleTempFilesOfAKilledRunAreRemovedByTheNextWrite()
    {
        string model = Path.Combine(Dir, "m.mlp");
        // A temp file named as a writer with a process id that is not running leaves it: a killed run.
        string stale = Path.Combine(Dir, $".m.mlp.{int.MaxValue - 7}.{Guid.NewGuid():N}.tmp");
        File.WriteAllText(stale, "half a model");
        string other = Path.Combine(Dir, $".other.mlp.{int.MaxValue - 7}.{Guid.NewGuid():N}.tmp");
        File.WriteAllText(other, "not ours");
        var (code, _, stderr) = CliTests.Mlp(Dir, "export", tiny.Model, "--out", model);
        Assert.True(code == 0, stderr);
        Assert.False(File.Exists(stale));
        Assert.True(File.Exists(other));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void ATruncatedGzipIsRefusedCutAtARowBoundaryOrMidRow(bool atRowBoundary)
    {
        // Compress 900 of digits' 1797 rows with a sync flush: the stream ends cleanly at a row boundary, without a trailer.
        byte[] text = File.ReadAllBytes(TestData.DataFile("digits.csv"));
        int rows = 0, end = 0;
        while (rows < 901)
        {
            end = Array.IndexOf(text, (byte)'\n', end) + 1;
            rows++;
        }
        if (!atRowBoundary)
            end -= 7;
        string gz = Path.Combine(Dir, "cut.csv.gz");
        File.WriteAllBytes(gz, Compress(text.AsSpan(0, end).ToArray()));
        var (code, stdout, stderr) = CliTests.Mlp(Dir, "train", gz, "--epochs", "1", "--out", Path.Combine(Dir, "m.mlp"));
        Assert.Equal(2, code);
        Assert.Equal("", stdout);
        Assert.Contains("the gzip stream is truncated", Assert.Single(stderr.TrimEnd().Split('\n')));
        Assert.False(File.Exists(Path.Combine(Dir, "m.mlp")));

        // A gzip stream without its trailer, as a file cut short leaves it.
        static byte[] Compress(byte[] data)
        {
            using var memory = new MemoryStream();
            using (var zip = new System.IO.Compression.GZipStream(memory, System.IO.Compression.CompressionLevel.Optimal, leaveOpen: true))
            {
                zip.Write(data);
                zip.Flush(); // a sync flush: every byte so far can be inflated
                return memory.ToArray();
            }
        }
    }

    [Fact]
    public void ADivergedRunWithJsonPrintsNullsExitsOneAndSavesNoUselessModel()
    {
        string model = Path.Combine(Dir, "div.mlp");
        var (code, stdout, stderr) = CliTests.Mlp(Dir, "train", tiny.Csv, "--optimizer", "sgd", "--lr", "1e6", "--json", "--out", model);
        Assert.Equal(1, code);
        using var json = JsonDocument.Parse(stdout); // NaN and ∞ are written as null, so this parses
        Assert.Equal("diverged", json.RootElement.GetProperty("stop_reason").GetString());
        string line = Assert.Single(stderr.TrimEnd().Split('\n'));
        Assert.Contains("Training diverged", line);
        Assert.Contains("the last step with a finite loss", line);
        if (File.Exists(model))
        {
            // Saved: then its weights give finite outputs on the training rows.
            var saved = TabularModel.Load(model);
            var predictions = saved.Predict(saved.ReadCsv(tiny.Csv));
            Assert.All(predictions.AsSpan().ToArray(), v => Assert.True(float.IsFinite(v)));
            Assert.Contains("were saved to", line);
        }
        else
        {
            Assert.Contains("No model was saved", line);
            Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("model").ValueKind);
        }
        Assert.Empty(Directory.GetFiles(Dir, "*.tmp"));
    }

    [Fact]
    public async Task StandardInputAndAPipeAreReadAsCsv()
    {
        // "-" is standard input (here a pipe from this process), for train, evaluate and predict.
        string model = Path.Combine(Dir, "stdin.mlp");
        var (code, stdout, stderr) = MlpWithInput(File.ReadAllBytes(tiny.Csv), "train", "-", "--epochs", "2", "--hidden", "8", "--seed", "3", "--json", "--out", model);
        Assert.True(code == 0, stderr);
        Assert.Equal(120, JsonDocument.Parse(stdout).RootElement.GetProperty("train_rows").GetInt32());
        var evaluate = MlpWithInput(File.ReadAllBytes(tiny.Csv), "evaluate", model, "-", "--json");
        Assert.True(evaluate.ExitCode == 0, evaluate.Stderr);
        Assert.Equal(150, JsonDocument.Parse(evaluate.Stdout).RootElement.GetProperty("rows").GetInt32());
        // Messages name standard input, not a temporary copy.
        var bad = MlpWithInput("sepal_length,sepal_width,petal_length,petal_width\n1,2,3,4\n1,x,3,4\n"u8.ToArray(), "predict", model, "-");
        Assert.Equal(2, bad.ExitCode);
        Assert.StartsWith("mlp: standard input: line 3", bad.Stderr);

        // A named pipe (as <(zcat x.csv.gz) gives) is read without seeking.
        string fifo = Path.Combine(Dir, "in.csv");
        MakeFifo(fifo);
        var writer = Task.Run(() => File.WriteAllBytes(fifo, File.ReadAllBytes(tiny.Csv)));
        var predict = CliTests.Mlp(Dir, "predict", model, fifo);
        Assert.True(predict.ExitCode == 0, predict.Stderr);
        Assert.Equal(151, predict.Stdout.TrimEnd().Split('\n').Length);
        await writer.WaitAsync(TimeSpan.FromSeconds(30));
    }

    internal static (int ExitCode, string Stdout, string Stderr) MlpWithInput(byte[] input, params string[] args) =>
        CliTests.Run(null, input, args);

    [Fact]
    public void AnEndlessRecordEndsQuicklyNamingItsLine()
    {
        // An unclosed quote on line 3 of a 20 MB file: refused at the record-size limit, not after reading it all into one field.
        string csv = Path.Combine(Dir, "quote.csv");
        using (var w = new StreamWriter(csv))
        {
            w.Write("a,b\n1,2\n\"");
            var chunk = new string('x', 1 << 20);
            for (int i = 0; i < 20; i++)
                w.Write(chunk);
        }
        var clock = Stopwatch.StartNew();
        var (code, _, stderr) = CliTests.Mlp(Dir, "train", csv, "--out", Path.Combine(Dir, "q.mlp"));
        Assert.Equal(2, code);
        Assert.Contains("line 3: a record longer than", stderr);
        Assert.Contains("unclosed quote", stderr);
        Assert.InRange(clock.Elapsed.TotalSeconds, 0, 30);
    }

    [Theory]
    [InlineData("--hidden 100000,100000", "train", "{csv}", "--hidden", "100000,100000")]
    [InlineData("architecture 100000x3:relu", "inspect", "100000x3:relu", "{csv}")]
    public void NetworksTooLargeToHoldAreRefusedNamingTheOptionAndTheSize(string named, params string[] args)
    {
        var (code, _, stderr) = CliTests.Mlp(Dir, [.. args.Select(a => a == "{csv}" ? tiny.Csv : a)]);
        Assert.Equal(2, code);
        string line = Assert.Single(stderr.TrimEnd().Split('\n'));
        Assert.StartsWith($"mlp: {named}: a network of ", line);
        Assert.Contains("parameters", line);
        Assert.Contains("GB", line);
    }

    [Fact]
    public void AClosedStandardOutputLosesNoModel()
    {
        string model = Path.Combine(Dir, "m.mlp");
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Dir };
        foreach (string a in new[] { Path.Combine(AppContext.BaseDirectory, "mlp.dll"), "train", tiny.Csv, "--epochs", "3", "--hidden", "8", "--out", model })
            info.ArgumentList.Add(a);
        using var process = Process.Start(info)!;
        process.StandardOutput.Close(); // as `| head -0` does: the reader is gone before anything is written
        string stderr = process.StandardError.ReadToEnd();
        Assert.True(process.WaitForExit(60_000));
        Assert.True(process.ExitCode == 0, stderr);
        Assert.DoesNotContain("denied", stderr);
        Assert.True(File.Exists(model));
    }

    [Fact]
    public async Task SigtermWritesACheckpointExits143AndTheResumedRunIsBitIdentical()
    {
        string model = Path.Combine(Dir, "run.mlp"), checkpoint = model + ".ckpt";
        string[] common = ["--seed", "7", "--hidden", "16", "--batch-size", "8", "--optimizer", "sgd", "--json"];
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Dir };
        foreach (string a in new[] { Path.Combine(AppContext.BaseDirectory, "mlp.dll"), "train", tiny.Csv, "--epochs", "100000", "--checkpoint-every", "1", "--out", model })
            info.ArgumentList.Add(a);
        foreach (string a in common)
            info.ArgumentList.Add(a);
        using var process = Process.Start(info)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEndAsync();
        try
        {
            var clock = Stopwatch.StartNew();
            while (!File.Exists(checkpoint) && !process.HasExited && clock.Elapsed < TimeSpan.FromSeconds(60))
                await Task.Delay(20);
            Assert.True(File.Exists(checkpoint), "no checkpoint");
            await Task.Delay(200);
            using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)]))
                kill.WaitForExit();
            Assert.True(process.WaitForExit(60_000), "mlp did not stop after SIGTERM");
        }
        finally
        {
            if (!process.HasExited)
                process.Kill(entireProcessTree: true);
        }
        string err = await stderr;
        Assert.True(process.ExitCode == 143, $"exit code {process.ExitCode}: {err}");
        Assert.Contains("interrupted by SIGTERM", err);
        Assert.Equal("", await stdout);
        Assert.Empty(Directory.GetFiles(Dir, "*.tmp"));

        var saved = CheckpointFile.Load(checkpoint);
        int epochs = saved.State.Progress.Epoch + 2;
        string e = epochs.ToString(CultureInfo.InvariantCulture);
        var resumed = CliTests.Mlp(Dir, "train", "--resume", checkpoint, "--epochs", e, "--json");
        Assert.True(resumed.ExitCode == 0, resumed.Stderr);
        string whole = Path.Combine(Dir, "whole.mlp");
        var uninterrupted = CliTests.Mlp(Dir, ["train", tiny.Csv, "--epochs", e, "--out", whole, .. common]);
        Assert.True(uninterrupted.ExitCode == 0, uninterrupted.Stderr);
        Assert.Equal(Weights(whole), Weights(model));
    }

    private static float[] Weights(string path) => [.. TabularModel.Load(path).Network.Parameters.SelectMany(p => p.Value.AsSpan().ToArray())];

    [Fact]
    public void ResumeTakesTheDataFromItsNewPlace()
    {
        string csv = Path.Combine(Dir, "a.csv"), model = Path.Combine(Dir, "m.mlp");
        File.Copy(tiny.Csv, csv);
        Assert.Equal(0, CliTests.Mlp(Dir, "train", csv, "--epochs", "1", "--hidden", "4", "--checkpoint-every", "1", "--json", "--out", model).ExitCode);
        string moved = Path.Combine(Dir, "moved.csv");
        File.Move(csv, moved);
        var lost = CliTests.Mlp(Dir, "train", "--resume", model + ".ckpt", "--epochs", "2", "--json");
        Assert.Equal(2, lost.ExitCode);
        var found = CliTests.Mlp(Dir, "train", "--resume", model + ".ckpt", "--epochs", "2", "--data", moved, "--json");
        Assert.True(found.ExitCode == 0, found.Stderr);
        // Other data is still refused by the fingerprint.
        var other = CliTests.Mlp(Dir, "train", "--resume", model + ".ckpt", "--epochs", "3", "--data", TestData.DataFile("wine.csv"), "--json");
        Assert.Equal(2, other.ExitCode);
    }
}
