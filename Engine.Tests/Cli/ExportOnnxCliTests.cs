using Engine.Tests.Serialization;

namespace Engine.Tests.Cli;

/// <summary><c>mlp export --format onnx</c> as a user runs it.</summary>
public sealed class ExportOnnxCliTests() : TempDirectoryTests("engine-cli-onnx-")
{
    [Fact]
    public void ExportWritesAnOnnxFileBesideTheModelThatScoresAsPredict()
    {
        string model = Path.Combine(Dir, "iris.mlp");
        var train = CliTests.Mlp(Dir, "train", TestData.DataFile("iris.csv"), "--seed", "1", "--epochs", "5", "--json", "--out", model);
        Assert.True(train.ExitCode == 0, train.Stderr);
        var export = CliTests.Mlp(Dir, "export", model, "--format", "onnx");
        Assert.True(export.ExitCode == 0, export.Stderr);
        string onnx = Path.Combine(Dir, "iris.onnx");
        Assert.Equal($"wrote {onnx}", export.Stdout.Trim());

        var loaded = TabularModel.Load(model);
        var data = DataTable.ReadCsv(TestData.DataFile("iris.csv"));
        var rows = OnnxScoring.Rows(data, loaded.Metadata.EffectiveEncoding);
        var scores = OnnxScoring.Run(onnx, rows);
        var expected = loaded.Predict(rows);
        for (int i = 0; i < expected.Rows; i++)
        {
            for (int j = 0; j < expected.Cols; j++)
                Assert.True(Math.Abs(expected[i, j] - scores.Values[i, j]) <= 1e-5, $"row {i}");
        }
    }

    [Fact]
    public void ExportTakesAnOutputPathAndRefusesUnknownFormats()
    {
        string model = Path.Combine(Dir, "w.mlp");
        Assert.Equal(0, CliTests.Mlp(Dir, "train", TestData.DataFile("wine.csv"), "--epochs", "2", "--json", "--out", model).ExitCode);
        string onnx = Path.Combine(Dir, "out", "wine-model.onnx");
        Directory.CreateDirectory(Path.GetDirectoryName(onnx)!); // a missing folder is refused before any work (issue 11)
        var export = CliTests.Mlp(Dir, "export", model, "--format", "onnx", "--out", onnx);
        Assert.True(export.ExitCode == 0, export.Stderr);
        Assert.True(File.Exists(onnx));
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(onnx)!, ".*.tmp"));

        var bad = CliTests.Mlp(Dir, "export", model, "--format", "tflite");
        Assert.NotEqual(0, bad.ExitCode);
        Assert.Contains("tflite", bad.Stderr);
    }
}
