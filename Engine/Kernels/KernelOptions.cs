namespace Engine.Kernels;

/// <summary>Process-wide settings of the numerical kernels.</summary>
public static class KernelOptions
{
    private static int _maxThreads = Environment.ProcessorCount;

    /// <summary>
    /// The most threads one GEMM call may use (default: the processor count). Results are bit-identical
    /// whatever the value: work is split by output tiles, never across the inner dimension.
    /// </summary>
    public static int MaxThreads
    {
        get => _maxThreads;
        set
        {
            if (value < 1)
                throw new ArgumentOutOfRangeException(nameof(value), value, $"{nameof(MaxThreads)} must be at least 1, got {value}.");
            _maxThreads = value;
        }
    }
}
