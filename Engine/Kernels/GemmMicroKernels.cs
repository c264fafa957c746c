using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Engine.Kernels;

/// <summary>How a micro-kernel starts its accumulators: the epilogue fused into the first k-block.</summary>
internal enum TileInit
{
    /// <summary>C = A·B.</summary>
    Zero,
    /// <summary>C = C + A·B (accumulate, and every k-block after the first).</summary>
    LoadC,
    /// <summary>C = 1·biasᵀ + A·B (the dense layer's forward).</summary>
    Bias,
}

/// <summary>
/// A register-blocked micro-kernel: an MR×NR tile of C from a packed A micro-panel (kc×MR, MR floats
/// per k) and a packed B micro-panel (kc×NR, NR floats per k). Tiles are always full: the driver pads
/// the panels with zeros and routes edge tiles through a scratch tile.
/// </summary>
internal interface IMicroKernel
{
    static abstract int MR { get; }
    static abstract int NR { get; }

    /// <summary>C tile (row stride <paramref name="ldc"/>) = init + A·B over <paramref name="kc"/> steps.</summary>
    static abstract unsafe void Run(int kc, float* a, float* b, float* c, int ldc, TileInit init, float* bias);
}

/// <summary>8×32 tile on AVX-512: 16 zmm accumulators + 2 for B + 1 broadcast, well under the 32 registers.</summary>
internal readonly struct Vector512Kernel : IMicroKernel
{
    public static int MR => 8;
    public static int NR => 32;

    // C[0..MR, 0..NR] = init + Σp a[p·MR + r]·b[p·NR + j]: one broadcast of A per row and
    // 2 loads of B per k, 16 accumulators held in registers for the whole k loop.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static unsafe void Run(int kc, float* a, float* b, float* c, int ldc, TileInit init, float* bias)
    {
        Vector512<float> c00, c01, c10, c11, c20, c21, c30, c31, c40, c41, c50, c51, c60, c61, c70, c71;
        if (init == TileInit.LoadC)
        {
            c00 = Vector512.Load(c + 0);
            c01 = Vector512.Load(c + 16);
            c10 = Vector512.Load(c + 1 * ldc + 0);
            c11 = Vector512.Load(c + 1 * ldc + 16);
            c20 = Vector512.Load(c + 2 * ldc + 0);
            c21 = Vector512.Load(c + 2 * ldc + 16);
            c30 = Vector512.Load(c + 3 * ldc + 0);
            c31 = Vector512.Load(c + 3 * ldc + 16);
            c40 = Vector512.Load(c + 4 * ldc + 0);
            c41 = Vector512.Load(c + 4 * ldc + 16);
            c50 = Vector512.Load(c + 5 * ldc + 0);
            c51 = Vector512.Load(c + 5 * ldc + 16);
            c60 = Vector512.Load(c + 6 * ldc + 0);
            c61 = Vector512.Load(c + 6 * ldc + 16);
            c70 = Vector512.Load(c + 7 * ldc + 0);
            c71 = Vector512.Load(c + 7 * ldc + 16);
        }
        else if (init == TileInit.Bias)
        {
            Vector512<float> bias0 = Vector512.Load(bias + 0);
            Vector512<float> bias1 = Vector512.Load(bias + 16);
            c00 = bias0; c01 = bias1;
            c10 = bias0; c11 = bias1;
            c20 = bias0; c21 = bias1;
            c30 = bias0; c31 = bias1;
            c40 = bias0; c41 = bias1;
            c50 = bias0; c51 = bias1;
            c60 = bias0; c61 = bias1;
            c70 = bias0; c71 = bias1;
        }
        else
        {
            c00 = Vector512<float>.Zero; c01 = Vector512<float>.Zero;
            c10 = Vector512<float>.Zero; c11 = Vector512<float>.Zero;
            c20 = Vector512<float>.Zero; c21 = Vector512<float>.Zero;
            c30 = Vector512<float>.Zero; c31 = Vector512<float>.Zero;
            c40 = Vector512<float>.Zero; c41 = Vector512<float>.Zero;
            c50 = Vector512<float>.Zero; c51 = Vector512<float>.Zero;
            c60 = Vector512<float>.Zero; c61 = Vector512<float>.Zero;
            c70 = Vector512<float>.Zero; c71 = Vector512<float>.Zero;
        }

        for (int p = 0; p < kc; p++)
        {
            Vector512<float> b0 = Vector512.Load(b + 0);
            Vector512<float> b1 = Vector512.Load(b + 16);
            Vector512<float> a0 = Vector512.Create(a[0]);
            c00 = Vector512.FusedMultiplyAdd(a0, b0, c00);
            c01 = Vector512.FusedMultiplyAdd(a0, b1, c01);
            Vector512<float> a1 = Vector512.Create(a[1]);
            c10 = Vector512.FusedMultiplyAdd(a1, b0, c10);
            c11 = Vector512.FusedMultiplyAdd(a1, b1, c11);
            Vector512<float> a2 = Vector512.Create(a[2]);
            c20 = Vector512.FusedMultiplyAdd(a2, b0, c20);
            c21 = Vector512.FusedMultiplyAdd(a2, b1, c21);
            Vector512<float> a3 = Vector512.Create(a[3]);
            c30 = Vector512.FusedMultiplyAdd(a3, b0, c30);
            c31 = Vector512.FusedMultiplyAdd(a3, b1, c31);
            Vector512<float> a4 = Vector512.Create(a[4]);
            c40 = Vector512.FusedMultiplyAdd(a4, b0, c40);
            c41 = Vector512.FusedMultiplyAdd(a4, b1, c41);
            Vector512<float> a5 = Vector512.Create(a[5]);
            c50 = Vector512.FusedMultiplyAdd(a5, b0, c50);
            c51 = Vector512.FusedMultiplyAdd(a5, b1, c51);
            Vector512<float> a6 = Vector512.Create(a[6]);
            c60 = Vector512.FusedMultiplyAdd(a6, b0, c60);
            c61 = Vector512.FusedMultiplyAdd(a6, b1, c61);
            Vector512<float> a7 = Vector512.Create(a[7]);
            c70 = Vector512.FusedMultiplyAdd(a7, b0, c70);
            c71 = Vector512.FusedMultiplyAdd(a7, b1, c71);
            a += 8;
            b += 32;
        }

        Vector512.Store(c00, c + 0);
        Vector512.Store(c01, c + 16);
        Vector512.Store(c10, c + 1 * ldc + 0);
        Vector512.Store(c11, c + 1 * ldc + 16);
        Vector512.Store(c20, c + 2 * ldc + 0);
        Vector512.Store(c21, c + 2 * ldc + 16);
        Vector512.Store(c30, c + 3 * ldc + 0);
        Vector512.Store(c31, c + 3 * ldc + 16);
        Vector512.Store(c40, c + 4 * ldc + 0);
        Vector512.Store(c41, c + 4 * ldc + 16);
        Vector512.Store(c50, c + 5 * ldc + 0);
        Vector512.Store(c51, c + 5 * ldc + 16);
        Vector512.Store(c60, c + 6 * ldc + 0);
        Vector512.Store(c61, c + 6 * ldc + 16);
        Vector512.Store(c70, c + 7 * ldc + 0);
        Vector512.Store(c71, c + 7 * ldc + 16);
    }
}

/// <summary>6×16 tile on AVX2: 12 ymm accumulators + 2 for B + 1 broadcast fit the 16 registers without spills.</summary>
internal readonly struct Vector256Kernel : IMicroKernel
{
    public static int MR => 6;
    public static int NR => 16;

    // C[0..MR, 0..NR] = init + Σp a[p·MR + r]·b[p·NR + j]: one broadcast of A per row and
    // 2 loads of B per k, 12 accumulators held in registers for the whole k loop.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static unsafe void Run(int kc, float* a, float* b, float* c, int ldc, TileInit init, float* bias)
    {
        Vector256<float> c00, c01, c10, c11, c20, c21, c30, c31, c40, c41, c50, c51;
        if (init == TileInit.LoadC)
        {
            c00 = Vector256.Load(c + 0);
            c01 = Vector256.Load(c + 8);
            c10 = Vector256.Load(c + 1 * ldc + 0);
            c11 = Vector256.Load(c + 1 * ldc + 8);
            c20 = Vector256.Load(c + 2 * ldc + 0);
            c21 = Vector256.Load(c + 2 * ldc + 8);
            c30 = Vector256.Load(c + 3 * ldc + 0);
            c31 = Vector256.Load(c + 3 * ldc + 8);
            c40 = Vector256.Load(c + 4 * ldc + 0);
            c41 = Vector256.Load(c + 4 * ldc + 8);
            c50 = Vector256.Load(c + 5 * ldc + 0);
            c51 = Vector256.Load(c + 5 * ldc + 8);
        }
        else if (init == TileInit.Bias)
        {
            Vector256<float> bias0 = Vector256.Load(bias + 0);
            Vector256<float> bias1 = Vector256.Load(bias + 8);
            c00 = bias0; c01 = bias1;
            c10 = bias0; c11 = bias1;
            c20 = bias0; c21 = bias1;
            c30 = bias0; c31 = bias1;
            c40 = bias0; c41 = bias1;
            c50 = bias0; c51 = bias1;
        }
        else
        {
            c00 = Vector256<float>.Zero; c01 = Vector256<float>.Zero;
            c10 = Vector256<float>.Zero; c11 = Vector256<float>.Zero;
            c20 = Vector256<float>.Zero; c21 = Vector256<float>.Zero;
            c30 = Vector256<float>.Zero; c31 = Vector256<float>.Zero;
            c40 = Vector256<float>.Zero; c41 = Vector256<float>.Zero;
            c50 = Vector256<float>.Zero; c51 = Vector256<float>.Zero;
        }

        for (int p = 0; p < kc; p++)
        {
            Vector256<float> b0 = Vector256.Load(b + 0);
            Vector256<float> b1 = Vector256.Load(b + 8);
            Vector256<float> a0 = Vector256.Create(a[0]);
            c00 = Vector256.FusedMultiplyAdd(a0, b0, c00);
            c01 = Vector256.FusedMultiplyAdd(a0, b1, c01);
            Vector256<float> a1 = Vector256.Create(a[1]);
            c10 = Vector256.FusedMultiplyAdd(a1, b0, c10);
            c11 = Vector256.FusedMultiplyAdd(a1, b1, c11);
            Vector256<float> a2 = Vector256.Create(a[2]);
            c20 = Vector256.FusedMultiplyAdd(a2, b0, c20);
            c21 = Vector256.FusedMultiplyAdd(a2, b1, c21);
            Vector256<float> a3 = Vector256.Create(a[3]);
            c30 = Vector256.FusedMultiplyAdd(a3, b0, c30);
            c31 = Vector256.FusedMultiplyAdd(a3, b1, c31);
            Vector256<float> a4 = Vector256.Create(a[4]);
            c40 = Vector256.FusedMultiplyAdd(a4, b0, c40);
            c41 = Vector256.FusedMultiplyAdd(a4, b1, c41);
            Vector256<float> a5 = Vector256.Create(a[5]);
            c50 = Vector256.FusedMultiplyAdd(a5, b0, c50);
            c51 = Vector256.FusedMultiplyAdd(a5, b1, c51);
            a += 6;
            b += 16;
        }

        Vector256.Store(c00, c + 0);
        Vector256.Store(c01, c + 8);
        Vector256.Store(c10, c + 1 * ldc + 0);
        Vector256.Store(c11, c + 1 * ldc + 8);
        Vector256.Store(c20, c + 2 * ldc + 0);
        Vector256.Store(c21, c + 2 * ldc + 8);
        Vector256.Store(c30, c + 3 * ldc + 0);
        Vector256.Store(c31, c + 3 * ldc + 8);
        Vector256.Store(c40, c + 4 * ldc + 0);
        Vector256.Store(c41, c + 4 * ldc + 8);
        Vector256.Store(c50, c + 5 * ldc + 0);
        Vector256.Store(c51, c + 5 * ldc + 8);
    }
}

/// <summary>4×8 tile of scalar multiply-adds: the fallback for CPUs without SIMD FMA.</summary>
internal readonly struct ScalarKernel : IMicroKernel
{
    private const int Rows = 4, Cols = 8;

    public static int MR => Rows;
    public static int NR => Cols;

    // C[r, j] = init + Σp a[p·MR + r]·b[p·NR + j], accumulators in a stack tile.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static unsafe void Run(int kc, float* a, float* b, float* c, int ldc, TileInit init, float* bias)
    {
        float* acc = stackalloc float[Rows * Cols];
        for (int r = 0; r < Rows; r++)
        {
            for (int j = 0; j < Cols; j++)
                acc[r * Cols + j] = init switch { TileInit.LoadC => c[r * ldc + j], TileInit.Bias => bias[j], _ => 0f };
        }

        for (int p = 0; p < kc; p++)
        {
            for (int r = 0; r < Rows; r++)
            {
                float ar = a[r];
                float* row = acc + r * Cols;
                for (int j = 0; j < Cols; j++)
                    row[j] += ar * b[j];
            }
            a += Rows;
            b += Cols;
        }

        for (int r = 0; r < Rows; r++)
        {
            for (int j = 0; j < Cols; j++)
                c[r * ldc + j] = acc[r * Cols + j];
        }
    }
}
