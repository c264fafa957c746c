using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Engine.Tests;

/// <summary>The README's ONNX section's C# snippet, compiled and run (keep the two in step).</summary>
public sealed class ReadmeOnnxExampleTests() : TempDirectoryTests("engine-readme-onnx-")
{
    [Fact]
    public void TheSnippetHereIsTheReadmes()
    {
        string readme = File.ReadAllText(Path.Combine(TestData.RepoRoot, "README.md"));
        int section = readme.IndexOf("Scoring from C#", StringComparison.Ordinal);
        Assert.True(section >= 0, "README.md has no 'Scoring from C#' paragraph.");
        int start = readme.IndexOf("```csharp", section, StringComparison.Ordinal) + "```csharp".Length;
        string snippet = readme[start..readme.IndexOf("```", start, StringComparison.Ordinal)];
        string here = File.ReadAllText(TestData.TestsFile("ReadmeOnnxExampleTests.cs"));
        foreach (string line in snippet.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith("using ", StringComparison.Ordinal)))
            Assert.True(here.Contains(line, StringComparison.Ordinal), $"README line not in the test: {line}");
    }

    [Fact]
    public void ScoringFromCSharp()
    {
        var fit = TabularModel.Fit(DataTable.ReadCsv(TestData.DataFile("iris.csv")), new FitOptions { Seed = 1, Epochs = 40 });
        fit.Model.Save(Path.Combine(Dir, "iris.mlp"));
        string previous = Environment.CurrentDirectory;
        Environment.CurrentDirectory = Dir; // the snippet's relative paths
        try
        {
            // ---- from the README ----
            TabularModel.Load("iris.mlp").ExportOnnx("iris.onnx");             // or: mlp export iris.mlp --format onnx

            using var session = new InferenceSession("iris.onnx");
            // one [N, 1] tensor per column; a text column: new DenseTensor<string>(new[] { "KS", "" }, [2, 1])
            NamedOnnxValue Column(string name, params float[] values) =>
                NamedOnnxValue.CreateFromTensor(name, new DenseTensor<float>(values, [values.Length, 1]));
            using var results = session.Run([
                Column("sepal_length", 5.1f, 6.7f), Column("sepal_width", 3.5f, float.NaN),   // NaN: missing
                Column("petal_length", 1.4f, 5.2f), Column("petal_width", 0.2f, 2.3f)]);
            string[] labels = [.. results.First(r => r.Name == "label").AsEnumerable<string>()];    // setosa, virginica
            float[] probabilities = [.. results.First(r => r.Name == "probabilities").AsEnumerable<float>()]; // N × 3
            // ---- end ----

            Assert.Equal(["setosa", "virginica"], labels);
            Assert.Equal(6, probabilities.Length);
            var expected = fit.Model.Predict([
                new Dictionary<string, object?> { ["sepal_length"] = 5.1f, ["sepal_width"] = 3.5f, ["petal_length"] = 1.4f, ["petal_width"] = 0.2f },
                new Dictionary<string, object?> { ["sepal_length"] = 6.7f, ["sepal_width"] = null, ["petal_length"] = 5.2f, ["petal_width"] = 2.3f },
            ]);
            for (int k = 0; k < probabilities.Length; k++)
                Assert.True(Math.Abs(expected.AsSpan()[k] - probabilities[k]) <= 1e-5);
        }
        finally
        {
            Environment.CurrentDirectory = previous;
        }
    }
}
