namespace Engine.Tests.Kernels;

/// <summary>
/// A fact that stands for one SIMD path of the GEMM: skipped, with the reason, on a CPU that lacks the path's
/// instructions (the path-parameterized tests then have no cases for it), so a missing path is visible in the
/// test report instead of passing silently.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class GemmPathFactAttribute : FactAttribute
{
    public GemmPathFactAttribute(string path)
    {
        Path = path;
        if (!GemmPaths.IsSupported(Enum.Parse<GemmPath>(path)))
            Skip = $"This CPU lacks the instructions of the {path} GEMM path (AVX-512F for Vector512, AVX2 + FMA for Vector256): that path is not tested here.";
    }

    /// <summary>The GEMM path's name.</summary>
    public string Path { get; }
}
