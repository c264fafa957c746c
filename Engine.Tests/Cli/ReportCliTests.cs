using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Engine.Cli;
using Engine.Training;
using static Engine.Tests.Cli.CliTests;

namespace Engine.Tests.Cli;

/// <summary>train --plot and the per-epoch history, evaluate's reports and plots, predict's number format, colour conventions.</summary>
public sealed partial class ReportCliTests() : TempDirectoryTests("engine-report-")
{
    // mlp train data/FILE for a few epochs into MODEL (seed 1 unless told otherwise), which must succeed.
    private void TrainModel(string model, string dataFile, int epochs, bool seeded = true)
    {
        string[] seed = seeded ? ["--seed", "1"] : [];
        var (code, _, stderr) = Mlp(Dir, ["train", TestData.DataFile(dataFile), .. seed, "--epochs", epochs.ToString(CultureInfo.InvariantCulture), "--json", "--out", model]);
        Assert.True(code == 0, stderr);
    }

    // An mlp command that must succeed: its output (standard output and error).
    private (string Stdout, string Stderr) Succeeds(params string[] args)
    {
        var (code, stdout, stderr) = Mlp(Dir, args);
        Assert.True(code == 0, stderr);
        return (stdout, stderr);
    }

    private static readonly byte[] PngSignature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    [Fact]
    public void TrainPlotsCurvesAndItsJsonCarriesTheHistory()
    {
        string model = Path.Combine(Dir, "iris.mlp"), plot = Path.Combine(Dir, "curves.png");
        var (code, stdout, stderr) = Mlp(Dir, "train", TestData.DataFile("iris.csv"), "--seed", "1", "--epochs", "6", "--validation-fraction", "0.2",
            "--json", "--out", model, "--plot", plot);
        Assert.True(code == 0, stderr);
        Assert.Equal(PngSignature, File.ReadAllBytes(plot)[..8]);
        using var json = JsonDocument.Parse(stdout);
        var history = json.RootElement.GetProperty("history");
        Assert.Equal(6, history.GetArrayLength());
        var last = history[5];
        Assert.Equal(6, last.GetProperty("epoch").GetInt32());
        Assert.True(last.GetProperty("train_loss").GetDouble() > 0);
        Assert.InRange(last.GetProperty("train_accuracy").GetDouble(), 0, 1);
        Assert.InRange(last.GetProperty("validation").GetProperty("accuracy").GetDouble(), 0, 1);
        Assert.True(last.GetProperty("validation").GetProperty("loss").GetDouble() > 0);
        Assert.True(last.GetProperty("learning_rate").GetDouble() > 0);
        Assert.True(last.GetProperty("seconds").GetDouble() >= 0);
    }

    [Fact]
    public void TrainRefusesAPlotOverAnInputBeforeTraining()
    {
        string data = Path.Combine(Dir, "iris.csv");
        File.Copy(TestData.DataFile("iris.csv"), data);
        var (code, _, stderr) = Mlp(Dir, "train", data, "--plot", data, "--out", Path.Combine(Dir, "m.mlp"));
        Assert.Equal(2, code);
        Assert.Contains("--plot", stderr);
        Assert.False(File.Exists(Path.Combine(Dir, "m.mlp")));
    }

    [Fact]
    public void EvaluateShowsTheClassificationReportAndTheConfusionMatrixAsTextJsonAndHeatMap()
    {
        string model = Path.Combine(Dir, "iris.mlp"), plot = Path.Combine(Dir, "cm.png");
        TrainModel(model, "iris.csv", epochs: 20);
        var text = Succeeds("evaluate", model, TestData.DataFile("iris.csv"), "--plot", plot);
        Assert.Contains("              precision    recall  f1-score   support\n\n", text.Stdout);
        Assert.Matches(@"\n      setosa     \d\.\d{4}    \d\.\d{4}    \d\.\d{4}        50\n", text.Stdout);
        Assert.Matches(@"\n    accuracy                         \d\.\d{4}       150\n", text.Stdout);
        Assert.Contains("weighted avg", text.Stdout);
        Assert.Contains("true \\ predicted", text.Stdout);
        Assert.Contains("log-loss", text.Stdout);
        Assert.Equal(PngSignature, File.ReadAllBytes(plot)[..8]);

        var json = Mlp(Dir, "evaluate", model, TestData.DataFile("iris.csv"), "--json");
        using var doc = JsonDocument.Parse(json.Stdout);
        var report = doc.RootElement.GetProperty("report");
        Assert.Equal(["setosa", "versicolor", "virginica"], report.GetProperty("classes").EnumerateArray().Select(c => c.GetString()));
        var confusion = report.GetProperty("confusion").EnumerateArray().Select(r => r.EnumerateArray().Select(n => n.GetInt32()).ToArray()).ToArray();
        Assert.All(confusion, row => Assert.Equal(50, row.Sum()));
        double accuracy = (double)Enumerable.Range(0, 3).Sum(i => confusion[i][i]) / 150;
        Assert.Equal(accuracy, report.GetProperty("accuracy").GetDouble(), 1e-6);
        Assert.Equal(doc.RootElement.GetProperty("test").GetProperty("accuracy").GetDouble(), accuracy, 1e-6);
        var setosa = report.GetProperty("per_class")[0];
        Assert.Equal("setosa", setosa.GetProperty("class").GetString());
        Assert.Equal(50, setosa.GetProperty("support").GetInt32());
        Assert.Equal(150, report.GetProperty("macro_avg").GetProperty("support").GetInt32());
        Assert.True(report.GetProperty("log_loss").GetDouble() > 0);
    }

    [Fact]
    public void EvaluateShowsRegressionErrorsAndResidualQuantilesAndPlotsPredictedAgainstTrue()
    {
        string model = Path.Combine(Dir, "d.mlp"), plot = Path.Combine(Dir, "pvt.png");
        TrainModel(model, "diabetes.csv", epochs: 5);
        var text = Succeeds("evaluate", model, TestData.DataFile("diabetes.csv"), "--plot", plot);
        Assert.Contains("residual (true − predicted)", text.Stdout);
        Assert.Contains("median", text.Stdout);
        Assert.Equal(PngSignature, File.ReadAllBytes(plot)[..8]);
        var json = Mlp(Dir, "evaluate", model, TestData.DataFile("diabetes.csv"), "--json");
        using var doc = JsonDocument.Parse(json.Stdout);
        var report = doc.RootElement.GetProperty("report");
        Assert.Equal(doc.RootElement.GetProperty("test").GetProperty("mae").GetDouble(), report.GetProperty("mae").GetDouble(), 1e-5);
        Assert.Equal(doc.RootElement.GetProperty("test").GetProperty("rmse").GetDouble(), report.GetProperty("rmse").GetDouble(), 1e-5);
        var quantiles = report.GetProperty("residual_quantiles").EnumerateArray().ToList();
        Assert.Equal([0, 0.05, 0.25, 0.5, 0.75, 0.95, 1], quantiles.Select(q => q.GetProperty("quantile").GetDouble()));
        var residuals = quantiles.Select(q => q.GetProperty("residual").GetDouble()).ToList();
        Assert.Equal(residuals.Order(), residuals);
    }

    [Fact]
    public void ClassificationReportTextHasScikitLearnsLayout()
    {
        // y_true = [a, a, b, b, b, long-name], y_pred = [a, b, b, b, a, long-name]; scikit-learn's
        // classification_report(y_true, y_pred, digits=4) prints exactly this.
        var probabilities = new Matrix<float>(6, 3, [1, 0, 0, 0, 1, 0, 0, 1, 0, 0, 1, 0, 1, 0, 0, 0, 0, 1]);
        var labels = new Matrix<float>(6, 1, [0, 0, 1, 1, 1, 2]);
        var report = ClassificationReport.From(probabilities, labels, ["a", "b", "a-longer-name"]);
        string expected = string.Join('\n',
            "               precision    recall  f1-score   support",
            "",
            "            a     0.5000    0.5000    0.5000         2",
            "            b     0.6667    0.6667    0.6667         3",
            "a-longer-name     1.0000    1.0000    1.0000         1",
            "",
            "     accuracy                         0.6667         6",
            "    macro avg     0.7222    0.7222    0.7222         6",
            " weighted avg     0.6667    0.6667    0.6667         6",
            "");
        Assert.Equal(expected, EvaluationReport.Text(report));
    }

    [Fact]
    public void PredictWritesShortestRoundTripNumbersInPythonsFormWithUnixLineEnds()
    {
        string model = Path.Combine(Dir, "iris.mlp"), output = Path.Combine(Dir, "p.csv");
        TrainModel(model, "iris.csv", epochs: 30);
        Assert.Equal(0, Mlp(Dir, "predict", model, TestData.DataFile("iris.csv"), "--out", output).ExitCode);
        string text = File.ReadAllText(output);
        Assert.DoesNotContain('\r', text);
        Assert.DoesNotContain('E', text.Replace("p_", "", StringComparison.Ordinal).Split('\n', 2)[1]);
        Assert.Matches(@"\d(\.\d+)?e-\d\d", text); // some probability is small enough to be written with an exponent

        Assert.Equal("1.42161e-06", PredictCommand.Format(1.42161e-06f));
        Assert.Equal("3e+20", PredictCommand.Format(3e20f));
        Assert.Equal("0.25", PredictCommand.Format(0.25f));
        Assert.Equal("1e-45", PredictCommand.Format(float.Epsilon));
        // Python's float() is a correctly rounded parse to double, as double.Parse; its float32 is the value written.
        var random = new Random(13);
        for (int i = 0; i < 200_000; i++)
        {
            float value = BitConverter.Int32BitsToSingle(random.Next(0, 0x7F800000) | (random.Next(2) == 0 ? 0 : int.MinValue)); // finite, either sign
            string s = PredictCommand.Format(value);
            Assert.Matches(PythonFloat(), s);
            Assert.Equal(value, (float)double.Parse(s, CultureInfo.InvariantCulture));
        }
    }

    [GeneratedRegex(@"^-?\d+(\.\d+)?(e[+-]\d{2,})?$")]
    private static partial Regex PythonFloat();

    /// <summary>A terminal for mlp (util-linux's script gives it a pseudo-terminal), so that colour and progress would show.</summary>
    private static string OnTerminal(string workingDirectory, bool noColor, params string[] args)
    {
        var info = new ProcessStartInfo("script") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = workingDirectory };
        string command = string.Join(' ', new[] { "dotnet", Path.Combine(AppContext.BaseDirectory, "mlp.dll") }.Concat(args).Select(a => $"'{a}'"));
        // script's own copy of the session goes to a file in the test's temporary folder, never to a device
        foreach (string a in (string[])["-qec", command, Path.Combine(workingDirectory, "typescript")])
            info.ArgumentList.Add(a);
        info.Environment["TERM"] = "xterm-256color";
        info.Environment.Remove("NO_COLOR");
        if (noColor)
            info.Environment["NO_COLOR"] = "1";
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        _ = process.StandardError.ReadToEndAsync();
        Assert.True(process.WaitForExit(60_000), "mlp on a terminal did not finish in 60 s");
        return stdout.Result;
    }

    // A colour or style (SGR: ESC [ … m). .NET's console itself writes the terminal's keypad mode (ESC [ ? 1 h ESC =)
    // when it starts on a terminal; that is not colour.
    private static bool HasColour(string text) => Regex.IsMatch(text, "\u001b\\[[0-9;]*m");

    [TerminalFact]
    public void NoColorIsHonouredOnATerminalAndPipesGetNoEscapes()
    {
        string model = Path.Combine(Dir, "iris.mlp");
        TrainModel(model, "iris.csv", epochs: 3, seeded: false);
        string[] evaluate = ["evaluate", model, TestData.DataFile("iris.csv")], inspect = ["inspect-data", TestData.DataFile("iris.csv")];
        Assert.True(HasColour(OnTerminal(Dir, noColor: false, evaluate)), "the terminal harness shows no colour at all");
        Assert.True(HasColour(OnTerminal(Dir, noColor: false, inspect)));
        Assert.False(HasColour(OnTerminal(Dir, noColor: true, evaluate)));
        Assert.False(HasColour(OnTerminal(Dir, noColor: true, inspect)));
        Assert.DoesNotContain('\u001b', Mlp(Dir, evaluate).Stdout);
        Assert.DoesNotContain('\u001b', Mlp(Dir, inspect).Stdout);
    }

    [TerminalFact]
    public void QuietSilencesTheProgressDisplay()
    {
        string[] train = ["train", TestData.DataFile("iris.csv"), "--epochs", "4", "--out", Path.Combine(Dir, "m.mlp")];
        Assert.Contains("epoch 4 loss", OnTerminal(Dir, noColor: false, train));
        Assert.DoesNotContain("epoch 4 loss", OnTerminal(Dir, noColor: false, [.. train, "--quiet"]));
    }
}

/// <summary>A fact that runs mlp on a pseudo-terminal through util-linux's script; skipped, saying so, where script is absent.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class TerminalFactAttribute : FactAttribute
{
    public TerminalFactAttribute()
    {
        if (!File.Exists("/usr/bin/script"))
            Skip = "needs util-linux's script (/usr/bin/script) for a pseudo-terminal: apt-get install util-linux";
    }
}
