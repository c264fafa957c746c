using BenchmarkDotNet.Running;

namespace Engine.Bench;

/// <summary>
/// Entry point. <c>epoch [options]</c> runs the end-to-end Fashion-MNIST timing, <c>scaling [options]</c> the cost grid against PyTorch (<see cref="ScalingReport"/>), <c>wall [options]</c> the
/// fresh-process <c>mlp train</c> job against PyTorch (<see cref="WallTiming"/>), <c>tabular [options]</c> the
/// defaults on every tabular corpus file (<see cref="TabularBenchmark"/>); anything else goes to
/// BenchmarkDotNet's switcher over every benchmark in this assembly (use --filter).
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "epoch")
            return EpochTiming.Run(args[1..]);
        if (args.Length > 0 && args[0] == "breakdown")
            return EpochBreakdown.Run(args[1..]);
        if (args.Length > 0 && args[0] == "scaling")
            return ScalingReport.Run(args[1..]);
        if (args.Length > 0 && args[0] == "wall")
            return WallTiming.Run(args[1..]);
        if (args.Length > 0 && args[0] == "tabular")
            return TabularBenchmark.Run(args[1..]);
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        return 0;
    }
}
