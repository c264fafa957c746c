namespace Engine.Kernels;

/// <summary>
/// Straightforward vectorized GEMM for any element type: row-of-C at a time, the inner loop an
/// axpy (C[i,:] += a·B[p,:]) or a dot product through TensorPrimitives. Used for double and as the
/// baseline the packed float kernel is measured against.
/// </summary>
internal static class GemmSimple
{
    public static void Run<T>(GemmOp op, Span<T> c, ReadOnlySpan<T> a, ReadOnlySpan<T> b, int m, int k, int n, bool accumulate)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < m; i++)
        {
            Span<T> ci = c.Slice(i * n, n);
            if (!accumulate)
                ci.Clear();
            switch (op)
            {
                case GemmOp.NN:
                    // C[i,:] += Σp A[i,p]·B[p,:]
                    for (int p = 0; p < k; p++)
                        TensorPrimitives.FusedMultiplyAdd(b.Slice(p * n, n), a[i * k + p], ci, ci);
                    break;
                case GemmOp.NT:
                    // C[i,j] += A[i,:]·B[j,:]
                    ReadOnlySpan<T> ai = a.Slice(i * k, k);
                    for (int j = 0; j < n; j++)
                        ci[j] += TensorPrimitives.Dot(ai, b.Slice(j * k, k));
                    break;
                case GemmOp.TN:
                    // C[i,:] += Σp A[p,i]·B[p,:]
                    for (int p = 0; p < k; p++)
                        TensorPrimitives.FusedMultiplyAdd(b.Slice(p * n, n), a[p * m + i], ci, ci);
                    break;
                default:
                    throw new ArgumentOutOfRangeException(nameof(op), op, "Unknown GEMM op.");
            }
        }
    }
}
