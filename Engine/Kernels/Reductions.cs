using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Engine.Kernels;

/// <summary>Reductions over row-major matrices.</summary>
public static class Reductions
{
    /// <summary>sums[j] (+)= Σᵢ x[i, j] over an m×n matrix: the bias gradient db = Σrows dY.</summary>
    /// <remarks>
    /// Walks the columns a vector at a time and keeps each vector's running sum in a register down all
    /// the rows: one pass over x, one load and store per output vector. (Adding row after row into sums
    /// with one library call per row cost more in call overhead than in arithmetic for 128-row batches.)
    /// Each column is summed in row order, so the result is the same as the row-by-row loop.
    /// </remarks>
    public static void ColumnSums<T>(Span<T> sums, ReadOnlySpan<T> x, int m, int n, bool accumulate = false)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Check.NonNegative(m, nameof(m));
        Check.NonNegative(n, nameof(n));
        Check.Length(x.Length, (long)m * n, nameof(x));
        Check.Length(sums.Length, n, nameof(sums));
        if (!accumulate)
            sums[..n].Clear();
        ref T px = ref MemoryMarshal.GetReference(x);
        ref T ps = ref MemoryMarshal.GetReference(sums);
        int j = 0;
        if (Vector512.IsHardwareAccelerated && Vector512<T>.IsSupported)
        {
            for (; j <= n - Vector512<T>.Count; j += Vector512<T>.Count)
            {
                var acc = Vector512.LoadUnsafe(ref ps, (nuint)j);
                for (int i = 0; i < m; i++)
                    acc += Vector512.LoadUnsafe(ref px, (nuint)((long)i * n + j));
                acc.StoreUnsafe(ref ps, (nuint)j);
            }
        }
        if (Vector256.IsHardwareAccelerated && Vector256<T>.IsSupported)
        {
            for (; j <= n - Vector256<T>.Count; j += Vector256<T>.Count)
            {
                var acc = Vector256.LoadUnsafe(ref ps, (nuint)j);
                for (int i = 0; i < m; i++)
                    acc += Vector256.LoadUnsafe(ref px, (nuint)((long)i * n + j));
                acc.StoreUnsafe(ref ps, (nuint)j);
            }
        }
        for (; j < n; j++)
        {
            T acc = Unsafe.Add(ref ps, j);
            for (int i = 0; i < m; i++)
                acc += Unsafe.Add(ref px, (nint)((long)i * n + j));
            Unsafe.Add(ref ps, j) = acc;
        }
    }
}
