using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Engine.Bench;

/// <summary>
/// The machine's fp32 FMA peak from ../shared/tools/peak-flops (or --peak-tool PATH), run in the same process run as
/// the measurement it scales: one core and all cores at once. When the all-core figure is well below twice the
/// one-core one, another process was using a core while it ran.
/// </summary>
internal sealed partial record Peak(double OneCore, double AllCores)
{
    /// <summary>The floor the issue quotes against: cores × the one-core peak (GFLOP/s).</summary>
    public double Cores(int cores) => cores * OneCore;

    public static Peak? Measure(string[] args)
    {
        string tool = Options.String(args, "--peak-tool", Path.Combine("..", "shared", "tools", "peak-flops"));
        if (!File.Exists(tool))
        {
            Console.Error.WriteLine($"peak: {tool} not found (pass --peak-tool PATH); percentages of peak are not printed.");
            return null;
        }
        using var process = Process.Start(new ProcessStartInfo(tool) { RedirectStandardOutput = true })!;
        string text = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        var one = OneCoreLine().Match(text);
        var all = AllCoresLine().Match(text);
        if (!one.Success || !all.Success)
            return null;
        var peak = new Peak(double.Parse(one.Groups[1].Value, CultureInfo.InvariantCulture), double.Parse(all.Groups[1].Value, CultureInfo.InvariantCulture));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"peak-flops: one core {peak.OneCore:F1} GFLOP/s, all {Environment.ProcessorCount} cores {peak.AllCores:F1} GFLOP/s{(peak.AllCores < 1.8 * peak.OneCore ? " (below 2× one core: another process was busy)" : "")}"));
        return peak;
    }

    [GeneratedRegex(@"one core:\s+\S+\s+([0-9.]+) GFLOP/s")]
    private static partial Regex OneCoreLine();

    [GeneratedRegex(@"all \d+ cores:\s+([0-9.]+) GFLOP/s")]
    private static partial Regex AllCoresLine();
}

/// <summary>Command-line options of the bench's own modes.</summary>
internal static class Options
{
    public static int Int(string[] args, string name, int fallback)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
    }

    public static string String(string[] args, string name, string fallback)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
    }

    public static double Median(double[] values)
    {
        double[] s = [.. values.Order()];
        return s.Length % 2 == 1 ? s[s.Length / 2] : (s[s.Length / 2 - 1] + s[s.Length / 2]) / 2;
    }
}
