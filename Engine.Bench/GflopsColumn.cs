using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace Engine.Bench;

/// <summary>A GEMM problem size: C is m×n, the inner dimension k.</summary>
public readonly record struct GemmShape(int M, int K, int N)
{
    /// <summary>Multiply and add counted separately: 2·m·n·k.</summary>
    public double Flops => 2.0 * M * N * K;

    public override string ToString() => $"{M}x{K}x{N}";
}

/// <summary>
/// Throughput column: 2·m·n·k / time, from the benchmark's <see cref="GemmShape"/> parameter and the
/// mean or the median of the measured time.
/// </summary>
public sealed class GflopsColumn(bool median) : IColumn
{
    public string Id => median ? "GflopsMedian" : "Gflops";
    public string ColumnName => median ? "GFLOP/s (median)" : "GFLOP/s";
    public bool AlwaysShow => true;
    public ColumnCategory Category => ColumnCategory.Custom;
    public int PriorityInCategory => median ? 1 : 0;
    public bool IsNumeric => true;
    public UnitType UnitType => UnitType.Dimensionless;
    public string Legend => $"2·m·n·k / {(median ? "median" : "mean")} time, in 10⁹ floating-point operations per second";

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    public bool IsAvailable(Summary summary) => true;

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        var stats = summary[benchmarkCase]?.ResultStatistics;
        GemmShape? shape = null;
        foreach (var parameter in benchmarkCase.Parameters.Items)
        {
            if (parameter.Value is GemmShape s)
                shape = s;
        }
        if (stats == null || shape == null)
            return "-";
        double nanoseconds = median ? stats.Median : stats.Mean;
        return (shape.Value.Flops / nanoseconds).ToString("F1", System.Globalization.CultureInfo.InvariantCulture);
    }

    public override string ToString() => ColumnName;
}

/// <summary>Adds both GFLOP/s columns to a benchmark class.</summary>
public sealed class GflopsConfig : ManualConfig
{
    public GflopsConfig()
    {
        AddColumn(new GflopsColumn(median: false), new GflopsColumn(median: true));
        AddColumn(StatisticColumn.Median);
    }
}
