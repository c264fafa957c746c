namespace Engine.Kernels;

/// <summary>
/// The naive triple loop in double precision, the yardstick every optimized GEMM is tested against
/// (llm.c keeps <c>matmul_forward_naive</c> for the same reason).
/// </summary>
internal static class GemmReference
{
    /// <summary>C (+)= op(A)·op(B) with every product and sum in double.</summary>
    public static void Run(GemmOp op, Span<double> c, ReadOnlySpan<float> a, ReadOnlySpan<float> b, int m, int k, int n, bool accumulate)
    {
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double sum = accumulate ? c[i * n + j] : 0;
                for (int p = 0; p < k; p++)
                {
                    double aip = op == GemmOp.TN ? a[p * m + i] : a[i * k + p];
                    double bpj = op == GemmOp.NT ? b[j * k + p] : b[p * n + j];
                    sum += aip * bpj;
                }
                c[i * n + j] = sum;
            }
        }
    }
}
