using System.Runtime.Intrinsics;

namespace Engine.Kernels;

/// <summary>Which micro-kernel the packed float GEMM runs on.</summary>
internal enum GemmPath
{
    /// <summary>Widest the CPU supports.</summary>
    Auto,
    /// <summary>8×32 tile of Vector512 FMAs (AVX-512).</summary>
    Vector512,
    /// <summary>6×16 tile of Vector256 FMAs (AVX2 + FMA).</summary>
    Vector256,
    /// <summary>4×8 tile of scalar multiply-adds, for any CPU.</summary>
    Scalar,
}

/// <summary>Picks the micro-kernel: widest first, or the one forced by tests or <c>ENGINE_GEMM_PATH</c>.</summary>
internal static class GemmPaths
{
    /// <summary>
    /// The path every float GEMM call uses, <see cref="GemmPath.Auto"/> for the widest supported.
    /// Set from the environment variable <c>ENGINE_GEMM_PATH</c> (Vector512, Vector256, Scalar) at start-up,
    /// so a whole test or benchmark run can be pinned to one path on any CPU.
    /// </summary>
    internal static GemmPath ForcedPath { get; set; } = FromEnvironment();

    public static bool IsSupported(GemmPath path) => path switch
    {
        GemmPath.Auto or GemmPath.Scalar => true,
        GemmPath.Vector512 => Vector512.IsHardwareAccelerated && System.Runtime.Intrinsics.X86.Avx512F.IsSupported,
        GemmPath.Vector256 => Vector256.IsHardwareAccelerated && System.Runtime.Intrinsics.X86.Fma.IsSupported,
        _ => false,
    };

    /// <summary>The path to run: the forced one if set (it must be supported), else the widest.</summary>
    public static GemmPath Resolve(GemmPath requested)
    {
        if (requested != GemmPath.Auto)
        {
            if (!IsSupported(requested))
                throw new PlatformNotSupportedException($"GEMM path {requested} is not supported on this CPU.");
            return requested;
        }
        if (IsSupported(GemmPath.Vector512))
            return GemmPath.Vector512;
        if (IsSupported(GemmPath.Vector256))
            return GemmPath.Vector256;
        return GemmPath.Scalar;
    }

    private static GemmPath FromEnvironment()
    {
        string? value = Environment.GetEnvironmentVariable("ENGINE_GEMM_PATH");
        return Enum.TryParse(value, ignoreCase: true, out GemmPath path) ? path : GemmPath.Auto;
    }
}
