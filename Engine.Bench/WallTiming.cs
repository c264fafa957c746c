using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Engine.Bench;

/// <summary>
/// The whole `mlp train` job on Fashion-MNIST as one fresh process (start, load both files, train 10 epochs of
/// 784-256-128-10 at batch 128 with SGD momentum 0.9, evaluate, save), timed from outside, beside the same job
/// in PyTorch (Engine.Bench/torch_peer.py fashion, 1 thread) when it is installed. Runs alternate, --runs times.
/// Usage: wall [--runs N] [--epochs N] [--mlp PATH/mlp.dll] [--datasets DIR] [--python PATH] [--torch-blas DIR] [--peak-tool PATH]
/// </summary>
internal static class WallTiming
{
    public static int Run(string[] args)
    {
        int runs = Options.Int(args, "--runs", 3);
        int epochs = Options.Int(args, "--epochs", 10);
        string mlp = Options.String(args, "--mlp", Path.Combine("Engine.Cli", "bin", "Release", "net10.0", "mlp.dll"));
        string folder = FashionMnistRecipe.Folder(args);
        string python = Options.String(args, "--python", "/usr/bin/python3");
        string train = Path.Combine(folder, "fashion-mnist-train.csv.gz"), test = Path.Combine(folder, "fashion-mnist-test.csv.gz");
        if (!File.Exists(mlp) || !File.Exists(train))
        {
            Console.Error.WriteLine($"wall: needs {mlp} (dotnet build -c Release) and {train}; run from the repository root or pass --mlp and --datasets.");
            return 2;
        }
        var inv = CultureInfo.InvariantCulture;
        Peak.Measure(args);
        string outDir = Directory.CreateTempSubdirectory("engine-wall").FullName;
        var engineWall = new List<double>();
        var torchWall = new List<double>();
        bool torchThere = true;
        for (int r = 0; r < runs; r++)
        {
            var (wall, output, code) = Time("dotnet", [mlp, "train", train, "--test-file", test, "--target", "label", "--task", "classification",
                "--hidden", "256,128", "--optimizer", "sgd", "--lr", "0.01", "--momentum", "0.9", "--batch-size", "128",
                "--epochs", epochs.ToString(inv), "--seed", "1", "--json", "--out", Path.Combine(outDir, "fashion.mlp")], removeOpenBlas: false);
            if (code != 0)
            {
                Console.Error.WriteLine($"wall: mlp train exited {code}:\n{output}");
                return 1;
            }
            engineWall.Add(wall);
            var json = JsonNode.Parse(output)!;
            var epochSeconds = json["epoch_seconds"]?.AsArray().Select(e => e!.GetValue<double>()).ToArray() ?? [];
            string epochText = epochSeconds.Length == 0 ? "" :
                string.Create(inv, $"; epochs first {epochSeconds[0]:F3} s, median {Options.Median(epochSeconds):F3} s (first/median {epochSeconds[0] / Options.Median(epochSeconds):F2})");
            Console.WriteLine(string.Create(inv, $"mlp train run {r + 1}: wall {wall:F2} s (load {json["load_seconds"]} s, train {json["train_seconds"]} s{epochText}), test accuracy {json["test"]?["accuracy"]}"));

            if (!torchThere)
                continue;
            var (twall, toutput, tcode) = Time(python, [Path.Combine(AppContext.BaseDirectory, "torch_peer.py"), "fashion", train, test, epochs.ToString(inv), Path.Combine(outDir, "fashion.pt")], removeOpenBlas: true, Options.String(args, "--torch-blas", ""));
            if (tcode != 0)
            {
                Console.WriteLine($"PyTorch peer skipped: torch_peer.py exited {tcode} (is torch installed for {python}?)");
                torchThere = false;
                continue;
            }
            torchWall.Add(twall);
            Console.WriteLine(string.Create(inv, $"PyTorch run {r + 1}: wall {twall:F2} s {toutput.Trim()}"));
        }
        double engineMedian = Options.Median([.. engineWall]);
        Console.WriteLine(string.Create(inv, $"mlp train, {epochs} epochs, fresh process: median wall {engineMedian:F2} s over {runs} runs ({string.Join(", ", engineWall.Select(w => w.ToString("F2", inv)))})"));
        if (torchWall.Count > 0)
        {
            double torchMedian = Options.Median([.. torchWall]);
            Console.WriteLine(string.Create(inv, $"PyTorch same job: median wall {torchMedian:F2} s ({string.Join(", ", torchWall.Select(w => w.ToString("F2", inv)))}); engine / PyTorch = {engineMedian / torchMedian:F2}"));
        }
        Peak.Measure(args);
        Directory.Delete(outDir, recursive: true);
        return 0;
    }

    private static (double Wall, string Output, int Code) Time(string file, string[] arguments, bool removeOpenBlas, string blasFolder = "")
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string a in arguments)
            start.ArgumentList.Add(a);
        if (removeOpenBlas)
        {
            start.Environment.Remove("OPENBLAS_CORETYPE");
            start.Environment.Remove("OPENBLAS_L2_SIZE");
        }
        if (blasFolder.Length > 0)
            start.Environment["LD_LIBRARY_PATH"] = blasFolder;
        var clock = Stopwatch.StartNew();
        try
        {
            using var process = Process.Start(start)!;
            var stderr = process.StandardError.ReadToEndAsync();
            string output = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            double wall = clock.Elapsed.TotalSeconds;
            return (wall, process.ExitCode == 0 ? output : output + stderr.Result, process.ExitCode);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return (0, e.Message, 127);
        }
    }
}
