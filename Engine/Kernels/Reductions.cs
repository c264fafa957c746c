using System.Numerics;
using System.Numerics.Tensors;

namespace Engine.Kernels;

/// <summary>Reductions over row-major matrices.</summary>
public static class Reductions
{
    /// <summary>sums[j] (+)= Σᵢ x[i, j] over an m×n matrix: the bias gradient db = Σrows dY.</summary>
    public static void ColumnSums<T>(Span<T> sums, ReadOnlySpan<T> x, int m, int n, bool accumulate = false)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Shape.CheckSize(m, nameof(m));
        Shape.CheckSize(n, nameof(n));
        Shape.CheckLength(x.Length, (long)m * n, nameof(x));
        Shape.CheckLength(sums.Length, n, nameof(sums));
        Span<T> s = sums[..n];
        if (!accumulate)
            s.Clear();
        for (int i = 0; i < m; i++)
            TensorPrimitives.Add(s, x.Slice(i * n, n), s);
    }
}
