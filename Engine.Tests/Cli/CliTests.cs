using System.Diagnostics;
using System.Text.Json;

namespace Engine.Tests.Cli;

/// <summary>The mlp command run as a user runs it: a separate process, checked by exit code and output.</summary>
public sealed class CliTests() : TempDirectoryTests("engine-cli-")
{
    internal static (int ExitCode, string Stdout, string Stderr) Mlp(string workingDirectory, params string[] args) =>
        Run(workingDirectory, null, args);

    /// <summary>Runs mlp with <paramref name="input"/> (when given) as its standard input, which is then closed.</summary>
    internal static (int ExitCode, string Stdout, string Stderr) Run(string? workingDirectory, byte[]? input, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardInput = input is not null, RedirectStandardOutput = true, RedirectStandardError = true };
        if (workingDirectory is not null)
            info.WorkingDirectory = workingDirectory;
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "mlp.dll"));
        foreach (string a in args)
            info.ArgumentList.Add(a);
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (input is not null)
        {
            process.StandardInput.BaseStream.Write(input);
            process.StandardInput.Close();
        }
        if (!process.WaitForExit(120_000))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"mlp {string.Join(' ', args)} did not finish in 120 s.");
        }
        return (process.ExitCode, stdout.Result, stderr.Result);
    }

    // mlp inspect SUBJECT data/FILE [options], which must succeed: its standard output.
    private string Inspect(string subject, string dataFile, params string[] options)
    {
        var (code, stdout, stderr) = Mlp(Dir, ["inspect", subject, TestData.DataFile(dataFile), .. options]);
        Assert.True(code == 0, stderr);
        return stdout;
    }

    [Fact]
    public void TrainPrintsJsonSavesAModelAndEvaluatesIt()
    {
        string model = Path.Combine(Dir, "iris.mlp");
        var (code, stdout, stderr) = Mlp(Dir, "train", TestData.DataFile("iris.csv"), "--seed", "1", "--epochs", "40", "--json", "--out", model);
        Assert.True(code == 0, stderr);
        using var json = JsonDocument.Parse(stdout);
        Assert.Equal("classification", json.RootElement.GetProperty("task").GetString());
        // the library's run with the same options: the same test figures (the JSON rounds to 6 decimals)
        var iris = DataTable.ReadCsv(TestData.DataFile("iris.csv"));
        var expected = TabularModel.Fit(iris, new FitOptions { Seed = 1, Epochs = 40 });
        Assert.Equal(Math.Round(expected.Test.Accuracy!.Value, 6), json.RootElement.GetProperty("test").GetProperty("accuracy").GetDouble());
        Assert.Equal(Math.Round(expected.Test.Loss, 6), json.RootElement.GetProperty("test").GetProperty("loss").GetDouble());
        Assert.Equal(40, json.RootElement.GetProperty("epochs").GetInt32());
        Assert.True(File.Exists(model));

        var eval = Mlp(Dir, "evaluate", model, TestData.DataFile("iris.csv"), "--json");
        Assert.Equal(0, eval.ExitCode);
        var all = expected.Model.Evaluate(iris);
        using (var evaluated = JsonDocument.Parse(eval.Stdout))
        {
            var metrics = evaluated.RootElement.TryGetProperty("test", out var t) ? t : evaluated.RootElement;
            Assert.Equal(Math.Round(all.Accuracy!.Value, 6), metrics.GetProperty("accuracy").GetDouble());
            Assert.Equal(Math.Round(all.Loss, 6), metrics.GetProperty("loss").GetDouble());
        }

        string predictions = Path.Combine(Dir, "p.csv");
        var predict = Mlp(Dir, "predict", model, TestData.DataFile("iris.csv"), "--out", predictions);
        Assert.Equal(0, predict.ExitCode);
        string[] lines = File.ReadAllLines(predictions);
        Assert.Equal("species,p_setosa,p_versicolor,p_virginica", lines[0]);
        Assert.Equal(151, lines.Length);
        Assert.StartsWith("setosa,", lines[1]);
    }

    [Fact]
    public void ExportedSafetensorsEvaluatesLikeTheModel()
    {
        string model = Path.Combine(Dir, "wine.mlp");
        Assert.Equal(0, Mlp(Dir, "train", TestData.DataFile("wine.csv"), "--seed", "2", "--epochs", "10", "--json", "--out", model).ExitCode);
        var export = Mlp(Dir, "export", model, "--format", "safetensors");
        Assert.True(export.ExitCode == 0, export.Stderr);
        string tensors = Path.Combine(Dir, "wine.safetensors");
        Assert.True(File.Exists(tensors));
        var fromModel = Mlp(Dir, "evaluate", model, TestData.DataFile("wine.csv"), "--json");
        var fromTensors = Mlp(Dir, "evaluate", tensors, TestData.DataFile("wine.csv"), "--json");
        Assert.Equal(0, fromTensors.ExitCode);
        Assert.Equal(fromModel.Stdout, fromTensors.Stdout);
    }

    [Fact]
    public void InspectPrintsPerLayerStatisticsForAnArchitectureAndAModel()
    {
        string arch = Inspect("32x3:relu:xavier-normal", "wine.csv", "--rows", "100");
        Assert.Contains("dead", arch);
        Assert.Contains("Dense(13→32)", arch);
        Assert.Equal(3, arch.Split("ReLU").Length - 1);

        string model = Path.Combine(Dir, "w.mlp");
        Assert.Equal(0, Mlp(Dir, "train", TestData.DataFile("wine.csv"), "--epochs", "3", "--json", "--out", model).ExitCode);
        Assert.Contains("Dense(64→3)", Inspect(model, "wine.csv"));

        var bad = Mlp(Dir, "inspect", "64,x:relu", TestData.DataFile("wine.csv"));
        Assert.Equal(2, bad.ExitCode);
    }

    [Fact]
    public void TrainWithLsuvReachesTheToleranceAndInspectReportsItOnHeldOutRows()
    {
        foreach (var (tolerance, args) in new[] { (0.1, Array.Empty<string>()), (0.01, new[] { "--lsuv-tolerance", "0.01" }) })
        {
            var (code, stdout, stderr) = Mlp(Dir, ["train", TestData.DataFile("digits.csv"), "--init", "lsuv", "--hidden", "64,64,64", "--epochs", "1",
                "--seed", "1", "--json", "--out", Path.Combine(Dir, "l.mlp"), .. args]);
            Assert.True(code == 0, stderr);
            using var json = JsonDocument.Parse(stdout);
            var variances = json.RootElement.GetProperty("lsuv_variances").EnumerateArray().Select(v => v.GetDouble()).ToList();
            Assert.Equal(4, variances.Count);
            Assert.All(variances, v => Assert.InRange(v, 1 - tolerance, 1 + tolerance));
        }
        var misuse = Mlp(Dir, "train", TestData.DataFile("iris.csv"), "--lsuv-tolerance", "0.05");
        Assert.Equal(2, misuse.ExitCode);
        Assert.Contains("--init lsuv", misuse.Stderr);

        string inspect = Inspect("64x3:relu:lsuv", "digits.csv", "--rows", "500");
        Assert.Matches(@"on the 89\d calibration rows \(a random share\)", inspect); // about half of 1797
        Assert.Contains("on the 500 inspected rows (held out from calibration)", inspect);
        string heldOut = inspect.Split("held out from calibration): ")[1].Split('\n')[0];
        Assert.All(heldOut.Split(' ').Select(v => double.Parse(v, CultureInfo.InvariantCulture)), v => Assert.InRange(v, 0.85, 1.15));
    }

    [Fact]
    public void InspectEndsWithTheAdvisorsVerdicts()
    {
        string xavier = Inspect("64x30:relu:xavier-normal", "digits.csv", "--rows", "300");
        Assert.Contains("vanishing: the activations' std falls", xavier);
        Assert.Contains("initializer: xavier-normal does not fit relu", xavier);
        // (At 64×30 on digits one late layer sits near half dead even under He: deep narrow ReLU stacks make the rows'
        // representations nearly collinear, so a unit is on or off for the whole batch. 20 layers stay clear of it.)
        Assert.Contains("No problem found", Inspect("64x20:relu:he-normal", "digits.csv", "--rows", "300"));
        var wrongTarget = Mlp(Dir, "inspect", "64:relu", TestData.DataFile("iris.csv"), "--target", "nope");
        Assert.Equal(2, wrongTarget.ExitCode);
    }

    [Fact]
    public void ExperimentDepthRunsOnAnyCsvOverSeedsWithSpreads()
    {
        string outDir = Path.Combine(Dir, "depth");
        var (code, stdout, stderr) = Mlp(Dir, "experiment", "depth", "--data", TestData.DataFile("digits.csv"), "--target", "digit", "--test-fraction", "0.3",
            "--depths", "3", "--train-rows", "400", "--epochs", "1", "--seeds", "1,2", "--only", "relu/he-normal,relu/uniform(-0.05,0.05),prelu/he-plain",
            "--width-networks", "4", "--out-dir", outDir);
        Assert.True(code == 0, stderr);
        Assert.Contains("seeds 1, 2", stdout);
        Assert.Contains("| 3 | relu/he-normal |", stdout);
        Assert.Contains("| 3 | relu/uniform(-0.05,0.05) |", stdout);
        Assert.DoesNotContain("prelu/he-slope-aware", stdout); // whole names only
        Assert.Contains(" ± ", stdout);
        foreach (string file in new[] { "summary.md", "history.csv", "finite_width.csv", "activation_std.png", "accuracy.png", "finite_width.png" })
            Assert.True(File.Exists(Path.Combine(outDir, file)), file);
        Assert.Equal(1 + 2 * 4, File.ReadAllLines(Path.Combine(outDir, "finite_width.csv")).Length); // he-normal and prelu/he-plain, 4 networks each

        var unknown = Mlp(Dir, "experiment", "depth", "--data", TestData.DataFile("digits.csv"), "--only", "relu/");
        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains("no configuration is named 'relu/'", unknown.Stderr);
    }

    [Fact]
    public void RegressionJsonHasRmseMaeAndR2()
    {
        var (code, stdout, stderr) = Mlp(Dir, "train", TestData.DataFile("diabetes.csv"), "--seed", "1", "--epochs", "5", "--json", "--out", Path.Combine(Dir, "d.mlp"));
        Assert.True(code == 0, stderr);
        using var json = JsonDocument.Parse(stdout);
        var test = json.RootElement.GetProperty("test");
        Assert.Equal("regression", json.RootElement.GetProperty("task").GetString());
        var expected = TabularModel.Fit(DataTable.ReadCsv(TestData.DataFile("diabetes.csv")), new FitOptions { Seed = 1, Epochs = 5 }).Test;
        Assert.Equal(Math.Round(expected.Rmse!.Value, 6), test.GetProperty("rmse").GetDouble());
        Assert.Equal(Math.Round(expected.Mae!.Value, 6), test.GetProperty("mae").GetDouble());
        Assert.Equal(Math.Round(expected.R2!.Value, 6), test.GetProperty("r2").GetDouble());
        Assert.Equal(Math.Round(expected.Loss, 6), test.GetProperty("loss").GetDouble());
        Assert.False(test.TryGetProperty("accuracy", out _));
    }

    [Fact]
    public void BadCsvExitsTwoWithOneLineNamingFileLineAndColumnAndWritesNothing()
    {
        string csv = Path.Combine(Dir, "bad.csv");
        File.WriteAllText(csv, "a,b,label\n1,2,x\n3,1e39,y\n"); // b is numeric, and 1e39 is outside float32
        string model = Path.Combine(Dir, "bad.mlp");
        var (code, stdout, stderr) = Mlp(Dir, "train", csv, "--out", model);
        Assert.Equal(2, code);
        Assert.Equal("", stdout);
        string line = Assert.Single(stderr.TrimEnd().Split('\n'));
        Assert.Contains("bad.csv", line);
        Assert.Contains("line 3", line);
        Assert.Contains("column 'b'", line);
        Assert.DoesNotContain("   at ", stderr);
        Assert.False(File.Exists(model));
        Assert.Empty(Directory.GetFiles(Dir, "*.tmp"));
    }

    [Theory]
    [InlineData("train", "missing.csv")]
    [InlineData("train", "{iris}", "--epochs", "0")]
    [InlineData("train", "{iris}", "--activation", "swish")]
    [InlineData("train", "{iris}", "--hidden", "64,x")]
    [InlineData("train", "{iris}", "--lr", "NaN")]
    [InlineData("train", "{iris}", "--init", "kaiming-magic")]
    [InlineData("evaluate", "{iris}", "{iris}")]
    [InlineData("frobnicate")]
    public void BadUsageExitsTwoWithOneLine(params string[] args)
    {
        string[] resolved = [.. args.Select(a => a == "{iris}" ? TestData.DataFile("iris.csv") : a)];
        var (code, _, stderr) = Mlp(Dir, resolved);
        Assert.Equal(2, code);
        Assert.Single(stderr.TrimEnd().Split('\n'));
        Assert.StartsWith("mlp: ", stderr);
    }

    [Fact]
    public void CorruptedModelFileExitsTwo()
    {
        string model = Path.Combine(Dir, "m.mlp");
        Assert.Equal(0, Mlp(Dir, "train", TestData.DataFile("iris.csv"), "--epochs", "2", "--json", "--out", model).ExitCode);
        byte[] bytes = File.ReadAllBytes(model);
        bytes[bytes.Length / 2] ^= 0xFF;
        File.WriteAllBytes(model, bytes);
        var (code, _, stderr) = Mlp(Dir, "evaluate", model, TestData.DataFile("iris.csv"));
        Assert.Equal(2, code);
        Assert.Contains("checksum", stderr);
    }
}
