using System.Diagnostics;
using System.Globalization;
using Engine.Tabular;

namespace Engine.Tests.Serialization;

/// <summary>
/// The README's PyTorch snippet, taken from README.md so the two cannot drift, run by python3 with torch on models
/// the engine exported to safetensors: PyTorch's softmax of the scaled rows must equal <c>Predict</c> to 1e-5.
/// </summary>
public sealed class SafetensorsTorchInteropTests() : TempDirectoryTests("engine-torch-")
{
    [TorchFact]
    public void TheReadmeSnippetLoadsExportedModelsIntoPyTorchWithTheSamePredictions()
    {
        string snippet = ReadmeSnippet();
        Assert.Contains("path = \"iris.safetensors\"", snippet);
        File.WriteAllText(Path.Combine(Dir, "snippet.py"), snippet);
        string[] models = ["iris-relu", "iris-leaky-relu", "iris-prelu", "iris-tanh"];
        var expected = new Dictionary<string, Matrix<float>>();
        foreach (string name in models)
        {
            var model = TabularModel.Load(TestData.TestsFile("Fixtures", name + ".mlp"));
            model.ExportSafetensors(Path.Combine(Dir, name + ".safetensors"));
            expected[name] = model.Predict(model.ReadCsv(TestData.DataFile("iris.csv")));
        }
        // For each model: the snippet with its file, then the iris rows scaled as its metadata says, then softmax.
        File.WriteAllText(Path.Combine(Dir, "run.py"), $$"""
            import csv, json, sys, torch
            snippet = open("snippet.py").read()
            for name in {{string.Join(",", models.Select(m => $"\"{m}\""))}},:
                g = {}
                exec(snippet.replace('"iris.safetensors"', repr(name + ".safetensors")), g)
                model, meta = g["model"], g["meta"]
                em = json.loads(meta["engine_metadata"])
                scaler = em["featureScaler"]
                rows = list(csv.DictReader(open(sys.argv[1], newline="")))
                x = torch.tensor([[float(r[c]) for c in em["featureNames"]] for r in rows])
                x = (x - torch.tensor(scaler["offset"])) * torch.tensor(scaler["scale"])
                with torch.no_grad():
                    p = torch.softmax(model(x), dim=1)
                for row in p.tolist():
                    print(name + "," + ",".join(repr(v) for v in row))
            """);
        var (code, stdout, stderr) = Run(Torch.Python!, Dir, "run.py", TestData.DataFile("iris.csv"));
        Assert.True(code == 0, stderr);
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        foreach (string name in models)
        {
            var rows = lines.Where(l => l.StartsWith(name + ",", StringComparison.Ordinal)).Select(l => l.Split(',')[1..]).ToList();
            var want = expected[name];
            Assert.Equal(want.Rows, rows.Count);
            double worst = 0;
            for (int i = 0; i < want.Rows; i++)
            {
                for (int j = 0; j < want.Cols; j++)
                    worst = Math.Max(worst, Math.Abs(double.Parse(rows[i][j], CultureInfo.InvariantCulture) - want[i, j]));
            }
            Assert.True(worst < 1e-5, $"{name}: PyTorch and the engine differ by {worst:G3}");
        }
    }

    /// <summary>The Python block under "### Loading an exported model in PyTorch" in README.md.</summary>
    private static string ReadmeSnippet()
    {
        string readme = File.ReadAllText(Path.Combine(TestData.RepoRoot, "README.md"));
        int section = readme.IndexOf("### Loading an exported model in PyTorch", StringComparison.Ordinal);
        Assert.True(section >= 0, "README.md has no section 'Loading an exported model in PyTorch'");
        int start = readme.IndexOf("```python\n", section, StringComparison.Ordinal) + "```python\n".Length;
        int end = readme.IndexOf("\n```", start, StringComparison.Ordinal);
        return readme[start..end] + "\n";
    }

    internal static (int Code, string Stdout, string Stderr) Run(string program, string directory, params string[] args)
    {
        var info = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = directory };
        foreach (string a in args)
            info.ArgumentList.Add(a);
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(120_000))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} did not finish in 120 s.");
        }
        return (process.ExitCode, stdout.Result, stderr.Result);
    }
}

/// <summary>Where python3 with torch is: /usr/bin/python3 (Debian's python3-torch), else the python3 on PATH; null when neither imports torch.</summary>
internal static class Torch
{
    private static readonly Lazy<string?> Found = new(() => new[] { "/usr/bin/python3", "python3" }.FirstOrDefault(Imports));

    public static string? Python => Found.Value;

    private static bool Imports(string python)
    {
        try
        {
            return SafetensorsTorchInteropTests.Run(python, Path.GetTempPath(), "-c", "import torch").Code == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false; // no such program
        }
    }
}

/// <summary>A fact that needs python3 with torch; skipped, saying how to get it, when there is none.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class TorchFactAttribute : FactAttribute
{
    public TorchFactAttribute()
    {
        if (Torch.Python is null)
            Skip = "needs python3 with torch (neither /usr/bin/python3 nor python3 on PATH imports torch): apt-get install python3-torch";
    }
}
