using System.Diagnostics;

namespace Engine.Tests.Serialization;

/// <summary>
/// The ONNX project's own checker (onnx.checker with full_check: schemas, types and strict shape inference) accepts
/// the exported files. Needs python3 with the onnx package (Debian: apt-get install python3-onnx); skipped otherwise.
/// </summary>
public sealed class OnnxCheckerTests() : TempDirectoryTests("engine-onnx-check-")
{
    private const string Script = """
        import sys, onnx
        from onnx import checker, shape_inference
        for path in sys.argv[1:]:
            model = onnx.load(path)
            checker.check_model(model, full_check=True)
            inferred = shape_inference.infer_shapes(model, strict_mode=True)
            typed = {v.name for v in list(inferred.graph.value_info) + list(inferred.graph.input) + list(inferred.graph.output)}
            untyped = [o for n in model.graph.node for o in n.output if o not in typed]
            if untyped:
                sys.exit(f"{path}: no type inferred for {untyped}")
            print(path, "ok")
        """;

    [RequiresPythonOnnxFact]
    public void TheOnnxCheckerAcceptsExportedModels()
    {
        string text = Path.Combine(Dir, "t.csv");
        File.WriteAllText(text, "colour,size,shape,kind\nred,1,round,a\nblue,2,,b\nred,NA,square,a\ngreen,4,round,b\nred,5,round,a\nblue,6,square,b\n");
        (string Csv, FitOptions Options)[] runs =
        [
            (text, new FitOptions { Seed = 1, Epochs = 2, TestFraction = 0.34 }),
            (TestData.DataFile("iris.csv"), new FitOptions { Seed = 1, Epochs = 2, Activation = Activation.PReLU }),
            (TestData.DataFile("wine.csv"), new FitOptions { Seed = 1, Epochs = 2, Activation = Activation.GELU, Scaler = "minmax" }),
            (TestData.DataFile("diabetes.csv"), new FitOptions { Seed = 1, Epochs = 2, Activation = Activation.SELU }),
        ];
        var files = new List<string>();
        foreach (var (csv, options) in runs)
        {
            string path = Path.Combine(Dir, Path.GetFileNameWithoutExtension(csv) + ".onnx");
            TabularModel.Fit(DataTable.ReadCsv(csv), options).Model.ExportOnnx(path);
            files.Add(path);
        }
        string script = Path.Combine(Dir, "check.py");
        File.WriteAllText(script, Script);
        var (code, output) = RequiresPythonOnnxFactAttribute.Run(RequiresPythonOnnxFactAttribute.Python!, [script, .. files]);
        Assert.True(code == 0, output);
        Assert.Equal(files.Count, output.Split('\n').Count(l => l.EndsWith(" ok", StringComparison.Ordinal)));
    }
}

/// <summary>A fact that needs python3 with the onnx package; skipped, saying how to install it, when there is none.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class RequiresPythonOnnxFactAttribute : FactAttribute
{
    private static readonly Lazy<string?> Found = new(() =>
        new[] { "python3", "/usr/bin/python3" }.FirstOrDefault(p => Run(p, ["-c", "import onnx"]).ExitCode == 0));

    public RequiresPythonOnnxFactAttribute()
    {
        if (Python is null)
            Skip = "python3 with the onnx package not found (Debian: apt-get install python3-onnx); the ONNX checker is not run.";
    }

    /// <summary>A python3 that imports onnx, or null.</summary>
    public static string? Python => Found.Value;

    /// <summary>Runs <paramref name="python"/> with <paramref name="args"/>: exit code and stdout + stderr (-1 when it cannot start).</summary>
    public static (int ExitCode, string Output) Run(string python, string[] args)
    {
        var info = new ProcessStartInfo(python) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string a in args)
            info.ArgumentList.Add(a);
        try
        {
            using var process = Process.Start(info)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(120_000))
            {
                process.Kill(entireProcessTree: true);
                return (-1, "timed out");
            }
            return (process.ExitCode, stdout.Result + stderr.Result);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return (-1, e.Message);
        }
    }
}
