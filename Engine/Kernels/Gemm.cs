using System.Runtime.InteropServices;

namespace Engine.Kernels;

/// <summary>
/// General matrix products on row-major spans, the three a dense layer needs, each optionally
/// accumulating into C. Sizes follow the math: C is m×n and the inner dimension is k.
/// <list type="bullet">
/// <item><see cref="MatMul{T}"/>: C (+)= A·B, A m×k, B k×n (dense backward: dX = dY·W)</item>
/// <item><see cref="MatMulTransB{T}"/>: C (+)= A·Bᵀ, A m×k, B n×k (dense forward: Y = X·Wᵀ)</item>
/// <item><see cref="MatMulTransA{T}"/>: C (+)= Aᵀ·B, A k×m, B k×n (dense backward: dW += dYᵀ·X)</item>
/// </list>
/// float runs on the packed SIMD kernel; other element types (double, for gradient checks) run on a
/// simple vectorized loop. Results do not depend on the thread count.
/// </summary>
public static class Gemm
{
    /// <summary>C (m×n) (+)= A (m×k) · B (k×n).</summary>
    public static void MatMul<T>(Span<T> c, ReadOnlySpan<T> a, ReadOnlySpan<T> b, int m, int k, int n, bool accumulate = false)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckOperands(c, a, b, m, k, n);
        Run(GemmOp.NN, c, a, b, m, k, n, accumulate);
    }

    /// <summary>C (m×n) (+)= A (m×k) · Bᵀ, with B stored n×k.</summary>
    public static void MatMulTransB<T>(Span<T> c, ReadOnlySpan<T> a, ReadOnlySpan<T> b, int m, int k, int n, bool accumulate = false)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckOperands(c, a, b, m, k, n);
        Run(GemmOp.NT, c, a, b, m, k, n, accumulate);
    }

    /// <summary>C (m×n) (+)= Aᵀ · B (k×n), with A stored k×m.</summary>
    public static void MatMulTransA<T>(Span<T> c, ReadOnlySpan<T> a, ReadOnlySpan<T> b, int m, int k, int n, bool accumulate = false)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckOperands(c, a, b, m, k, n);
        Run(GemmOp.TN, c, a, b, m, k, n, accumulate);
    }

    /// <summary>
    /// The dense layer's forward product with the bias in the epilogue:
    /// Y (m×n) = X (m×k) · Wᵀ + 1·biasᵀ, with W stored n×k (out, in) and bias of length n.
    /// </summary>
    public static void Linear<T>(Span<T> y, ReadOnlySpan<T> x, ReadOnlySpan<T> w, ReadOnlySpan<T> bias, int m, int k, int n)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckOperands(y, x, w, m, k, n);
        Check.Length(bias.Length, n, nameof(bias));
        if (typeof(T) == typeof(float))
        {
            // Y = 1·biasᵀ + X·Wᵀ: the packed kernel starts each tile from the bias row.
            GemmPacked.Run(GemmPaths.ForcedPath, KernelOptions.MaxThreads, GemmOp.NT, MemoryMarshal.Cast<T, float>(y),
                MemoryMarshal.Cast<T, float>(x), MemoryMarshal.Cast<T, float>(w), MemoryMarshal.Cast<T, float>(bias[..n]),
                m, k, n, accumulate: false);
            return;
        }
        GemmSimple.Run(GemmOp.NT, y, x, w, m, k, n, accumulate: false);
        for (int i = 0; i < m; i++)
        {
            Span<T> row = y.Slice(i * n, n);
            TensorPrimitives.Add(row, bias[..n], row);
        }
    }

    /// <summary>float goes to the packed SIMD kernel, every other element type to the simple loop.</summary>
    private static void Run<T>(GemmOp op, Span<T> c, ReadOnlySpan<T> a, ReadOnlySpan<T> b, int m, int k, int n, bool accumulate)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float))
        {
            GemmPacked.Run(GemmPaths.ForcedPath, KernelOptions.MaxThreads, op, MemoryMarshal.Cast<T, float>(c),
                MemoryMarshal.Cast<T, float>(a), MemoryMarshal.Cast<T, float>(b), [], m, k, n, accumulate);
            return;
        }
        GemmSimple.Run(op, c, a, b, m, k, n, accumulate);
    }

    private static void CheckOperands<T>(Span<T> c, ReadOnlySpan<T> a, ReadOnlySpan<T> b, int m, int k, int n)
    {
        if (m < 0 || k < 0 || n < 0)
            throw new ArgumentOutOfRangeException(nameof(m), $"GEMM sizes must be non-negative, got m={m}, k={k}, n={n}.");
        Check.Length(a.Length, (long)m * k, nameof(a));
        Check.Length(b.Length, (long)k * n, nameof(b));
        Check.Length(c.Length, (long)m * n, nameof(c));
    }
}

/// <summary>Which operands are transposed: N = as stored, T = transposed.</summary>
public enum GemmOp
{
    /// <summary>C = A·B.</summary>
    NN,
    /// <summary>C = A·Bᵀ.</summary>
    NT,
    /// <summary>C = Aᵀ·B.</summary>
    TN,
}
