using System.Diagnostics;
using System.Text.Json;

namespace Engine.Tests.Cli;

/// <summary>Ctrl-C, --checkpoint-every and --resume, with mlp run as a separate process.</summary>
public sealed class CheckpointCliTests() : TempDirectoryTests("engine-cli-ckpt-")
{
    [Fact]
    public async Task SigintFinishesTheStepWritesACheckpointExits130AndResumeFinishes()
    {
        string model = Path.Combine(Dir, "digits.mlp");
        string checkpoint = model + ".ckpt";
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Dir };
        foreach (string a in new[] { Path.Combine(AppContext.BaseDirectory, "mlp.dll"), "train", TestData.DataFile("digits.csv"),
            "--epochs", "100000", "--checkpoint-every", "1", "--seed", "1", "--json", "--out", model })
            info.ArgumentList.Add(a);
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        try
        {
            // The first checkpoint proves training is under way; then interrupt somewhere in a later epoch.
            var clock = Stopwatch.StartNew();
            while (!File.Exists(checkpoint) && !process.HasExited && clock.Elapsed < TimeSpan.FromSeconds(60))
                await Task.Delay(50);
            Assert.True(File.Exists(checkpoint), $"no checkpoint after {clock.Elapsed.TotalSeconds:F0} s (exited: {process.HasExited})");
            await Task.Delay(300);
            using (var kill = Process.Start("kill", ["-INT", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
                kill.WaitForExit();
            Assert.True(process.WaitForExit(60_000), "mlp did not stop after SIGINT");
        }
        finally
        {
            if (!process.HasExited)
                process.Kill(entireProcessTree: true);
        }

        string err = await stderr, output = await stdout;
        Assert.True(process.ExitCode == 130, $"exit code {process.ExitCode}: {err}");
        string line = Assert.Single(err.TrimEnd().Split('\n'));
        Assert.Contains($"checkpoint saved to {checkpoint}", line);
        Assert.Contains($"mlp train --resume {checkpoint}", line);
        Assert.Equal("", output);
        Assert.False(File.Exists(model));                       // an unfinished run saves no model
        Assert.Empty(Directory.GetFiles(Dir, "*.tmp"));         // and leaves nothing half-written
        var saved = CheckpointFile.Load(checkpoint);
        Assert.True(saved.State.Progress.Epoch >= 1);
        Assert.Equal(TestData.DataFile("digits.csv"), saved.DataPath);

        // Resume, extending the run to two epochs past the interruption.
        int epochs = saved.State.Progress.Epoch + 2;
        var (code, json, resumeErr) = CliTests.Mlp(Dir, "train", "--resume", checkpoint, "--epochs", epochs.ToString(System.Globalization.CultureInfo.InvariantCulture), "--json");
        Assert.True(code == 0, resumeErr);
        using var result = JsonDocument.Parse(json);
        Assert.Equal(epochs, result.RootElement.GetProperty("epochs").GetInt32());
        Assert.Equal("completed", result.RootElement.GetProperty("stop_reason").GetString());
        // a resumed run ends as one never interrupted: the library's uninterrupted run gives the same test figures
        var uninterrupted = TabularModel.Fit(DataTable.ReadCsv(TestData.DataFile("digits.csv")), new FitOptions { Seed = 1, Epochs = epochs }).Test;
        Assert.Equal(Math.Round(uninterrupted.Accuracy!.Value, 6), result.RootElement.GetProperty("test").GetProperty("accuracy").GetDouble());
        Assert.Equal(Math.Round(uninterrupted.Loss, 6), result.RootElement.GetProperty("test").GetProperty("loss").GetDouble());
        Assert.True(File.Exists(model)); // digits.mlp.ckpt resumes into digits.mlp
        Assert.Equal(epochs, CheckpointFile.Load(checkpoint).State.Progress.Epoch); // still checkpointing every epoch
    }

    [Fact]
    public void ResumedCliRunMatchesAnUninterruptedOne()
    {
        // Train 6 epochs with a checkpoint every 3; resume the 3-epoch checkpoint to 6: the same model file.
        string iris = TestData.DataFile("iris.csv");
        string whole = Path.Combine(Dir, "whole.mlp"), part = Path.Combine(Dir, "part.mlp");
        Assert.Equal(0, CliTests.Mlp(Dir, "train", iris, "--epochs", "6", "--seed", "4", "--optimizer", "sgd", "--clip-grad-norm", "0.5", "--json", "--out", whole).ExitCode);
        Assert.Equal(0, CliTests.Mlp(Dir, "train", iris, "--epochs", "3", "--seed", "4", "--optimizer", "sgd", "--clip-grad-norm", "0.5", "--checkpoint-every", "3", "--json", "--out", part).ExitCode);
        var (code, _, err) = CliTests.Mlp(Dir, "train", "--resume", part + ".ckpt", "--epochs", "6", "--json");
        Assert.True(code == 0, err);
        var a = TabularModelWeights(whole);
        var b = TabularModelWeights(part);
        Assert.Equal(a, b);
    }

    private static float[] TabularModelWeights(string path) =>
        [.. Engine.Tabular.TabularModel.Load(path).Network.Parameters.SelectMany(p => p.Value.AsSpan().ToArray())];

    [Theory]
    [InlineData("train")]                                           // neither csv nor --resume
    [InlineData("train", "{iris}", "--resume", "{ckpt}")]           // both
    [InlineData("train", "--resume", "{ckpt}", "--lr", "0.1")]      // an option the checkpoint fixes
    [InlineData("train", "--resume", "{iris}")]                     // not a checkpoint
    [InlineData("train", "{iris}", "--clip-grad-norm", "0")]
    [InlineData("train", "{iris}", "--checkpoint-every", "0")]
    public void BadResumeUsageExitsTwoWithOneLine(params string[] args)
    {
        string ckpt = Path.Combine(Dir, "m.mlp.ckpt");
        Assert.Equal(0, CliTests.Mlp(Dir, "train", TestData.DataFile("iris.csv"), "--epochs", "1", "--checkpoint-every", "1", "--json", "--out", Path.Combine(Dir, "m.mlp")).ExitCode);
        string[] resolved = [.. args.Select(a => a switch { "{iris}" => TestData.DataFile("iris.csv"), "{ckpt}" => ckpt, _ => a })];
        var (code, _, stderr) = CliTests.Mlp(Dir, resolved);
        Assert.Equal(2, code);
        Assert.Single(stderr.TrimEnd().Split('\n'));
        Assert.StartsWith("mlp: ", stderr);
    }
}
