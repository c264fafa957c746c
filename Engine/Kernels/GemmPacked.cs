using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Engine.Kernels;

/// <summary>
/// The float32 GEMM in the Goto/BLIS shape (Goto &amp; van de Geijn, "Anatomy of high-performance matrix
/// multiplication", 2008): for each NC-wide column block of C and each KC-deep slice of the inner
/// dimension, op(B) is packed into NR-wide micro-panels; for each MC-tall row block op(A) is packed into
/// MR-tall micro-panels; a register-blocked micro-kernel then computes every MR×NR tile. Packing reads
/// the operands in whichever layout the op stores them, so no transpose is ever materialized.
/// Threads split C into column (or row) ranges of whole tiles and each runs the serial algorithm on its
/// range with the same k-blocking, so every element of C sees the same operations whatever the count.
/// </summary>
internal static unsafe class GemmPacked
{
    // Block sizes for a Zen 4 core (32 KB L1d, 1 MB L2, 32 MB shared L3), measured at 512³ and 1024³:
    // KC = 512 beat 128/192/256 by 2–5 % (fewer passes loading and storing C) and matched 768/1024.

    /// <summary>
    /// Depth of a k-block. Each micro-kernel call runs KC FMA steps between one load and one store of
    /// its C tile; the B micro-panel (KC·NR·4 B = 64 KB) is re-read by every row tile from L2.
    /// </summary>
    internal static int BlockK { get; set; } = 512;

    /// <summary>Rows of A per packed block: MC·KC·4 B = 256 KB, a quarter of the 1 MB L2, beside B's micro-panel.</summary>
    internal static int BlockM { get; set; } = 128;

    /// <summary>Columns of B per packed block: KC·NC·4 B = 2 MB, kept in L3 and streamed one micro-panel at a time.</summary>
    internal static int BlockN { get; set; } = 1024;

    /// <summary>
    /// Below this many multiply-adds (m·n·k) one thread is faster: waking a worker costs ~5 µs here, and
    /// measured 2-thread calls only won from about 128³ (2 M) up, lost at 96³ and below.
    /// </summary>
    internal static long ParallelMinMulAdds { get; set; } = 1L << 20;

    /// <summary>
    /// Parts per thread of a parallel call. Each part packs its own copy of the operand it shares with the others,
    /// so more parts cost packing: on the 2-core machine under load (the other core busy), epochs alternating in
    /// one process took a median 0.367 s with 1, 0.388 s with 2 and 0.43 s with 4. With 1, a worker that has not
    /// started when the caller is done with its own part still leaves that part to the caller.
    /// </summary>
    internal static int PartsPerThread { get; set; } = 1;

    /// <summary>
    /// C (m×n) = init + op(A)·op(B) on the given path and at most <paramref name="maxThreads"/> threads;
    /// init is C when <paramref name="accumulate"/>, the bias row when <paramref name="bias"/> is non-empty,
    /// else zero. Lengths are checked here too: the kernels below run on raw pointers.
    /// </summary>
    public static void Run(GemmPath path, int maxThreads, GemmOp op, Span<float> c, ReadOnlySpan<float> a, ReadOnlySpan<float> b,
        ReadOnlySpan<float> bias, int m, int k, int n, bool accumulate)
    {
        Check.NonNegative(m, nameof(m));
        Check.NonNegative(k, nameof(k));
        Check.NonNegative(n, nameof(n));
        Check.Positive(maxThreads, nameof(maxThreads));
        Check.Length(a.Length, (long)m * k, nameof(a));
        Check.Length(b.Length, (long)k * n, nameof(b));
        Check.Length(c.Length, (long)m * n, nameof(c));
        bool hasBias = !bias.IsEmpty;
        if (hasBias)
            Check.Length(bias.Length, n, nameof(bias));
        if (hasBias && accumulate)
            throw new ArgumentException("A bias epilogue overwrites C; it cannot be combined with accumulate.", nameof(accumulate));
        if (m == 0 || n == 0)
            return;
        if (k == 0)
        {
            // Empty inner dimension: op(A)·op(B) = 0.
            for (int i = 0; i < m; i++)
            {
                Span<float> row = c.Slice(i * n, n);
                if (hasBias)
                    bias[..n].CopyTo(row);
                else if (!accumulate)
                    row.Clear();
            }
            return;
        }

        path = GemmPaths.Resolve(path);
        (int mr, int nr) = path switch
        {
            GemmPath.Vector512 => (Vector512Kernel.MR, Vector512Kernel.NR),
            GemmPath.Vector256 => (Vector256Kernel.MR, Vector256Kernel.NR),
            _ => (ScalarKernel.MR, ScalarKernel.NR),
        };

        // Split C into `parts` ranges of whole tiles along the dimension that balances better; the threads claim
        // parts until none is left (more parts than threads, so a thread whose core is busy takes fewer).
        int tilesM = (m + mr - 1) / mr, tilesN = (n + nr - 1) / nr;
        int threads = (long)m * n * k < ParallelMinMulAdds ? 1 : maxThreads;
        int parts = threads == 1 ? 1 : Math.Min(threads * PartsPerThread, Math.Max(tilesM, tilesN));
        parts = Math.Max(parts, 1);
        // Largest share of each dimension one part gets: ceil(tiles / parts) / tiles.
        bool splitColumns = (long)((tilesN + parts - 1) / parts) * tilesM <= (long)((tilesM + parts - 1) / parts) * tilesN;

        fixed (float* pc = c, pa = a, pb = b, pbias = bias)
        {
            var job = new Job
            {
                Path = path, Op = op, C = pc, A = pa, B = pb, Bias = hasBias ? pbias : null,
                M = m, K = k, N = n, Accumulate = accumulate,
                Parts = parts, SplitColumns = splitColumns, TilesM = tilesM, TilesN = tilesN, MR = mr, NR = nr,
            };
            if (parts == 1)
                RunPart(&job, 0);
            else
                GemmWorkers.Run(&RunPart, &job, parts, threads);
        }
    }

    /// <summary>One GEMM call as the threads see it: operands pinned by the caller for the call's duration.</summary>
    private struct Job
    {
        public GemmPath Path;
        public GemmOp Op;
        public float* C, A, B, Bias;
        public int M, K, N;
        public bool Accumulate;
        public int Parts, TilesM, TilesN, MR, NR;
        public bool SplitColumns;
    }

    /// <summary>Computes part <paramref name="part"/> of the job's C: a range of whole tile columns or rows.</summary>
    private static void RunPart(void* state, int part)
    {
        ref readonly Job job = ref *(Job*)state;
        int i0 = 0, i1 = job.M, j0 = 0, j1 = job.N;
        if (job.SplitColumns)
        {
            j0 = (int)((long)job.TilesN * part / job.Parts) * job.NR;
            j1 = Math.Min(job.N, (int)((long)job.TilesN * (part + 1) / job.Parts) * job.NR);
        }
        else
        {
            i0 = (int)((long)job.TilesM * part / job.Parts) * job.MR;
            i1 = Math.Min(job.M, (int)((long)job.TilesM * (part + 1) / job.Parts) * job.MR);
        }
        if (i0 >= i1 || j0 >= j1)
            return;

        switch (job.Path)
        {
            case GemmPath.Vector512:
                RunBlock<Vector512Kernel>(in job, i0, i1, j0, j1, simdPack: true);
                break;
            case GemmPath.Vector256:
                RunBlock<Vector256Kernel>(in job, i0, i1, j0, j1, simdPack: true);
                break;
            default:
                RunBlock<ScalarKernel>(in job, i0, i1, j0, j1, simdPack: false);
                break;
        }
    }

    /// <summary>C[i0..i1, j0..j1] by the five Goto loops (jc, pc, ic, jr, ir) around the micro-kernel.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void RunBlock<TKernel>(in Job job, int i0, int i1, int j0, int j1, bool simdPack)
        where TKernel : IMicroKernel
    {
        int mr = TKernel.MR, nr = TKernel.NR;
        int k = job.K, n = job.N;

        // Equal k-blocks (784 = 4·196 rather than 3·256 + 16): the same for every thread and part.
        int kBlocks = (k + BlockK - 1) / BlockK;
        int kcMax = (k + kBlocks - 1) / kBlocks;
        int mcMax = Math.Max(mr, BlockM / mr * mr);
        int ncMax = Math.Max(nr, BlockN / nr * nr);

        Workspace ws = Workspace.Current;
        float* packA = ws.A(mcMax * kcMax);
        float* packB = ws.B(kcMax * ncMax);
        // Edge tiles run the full kernel on a scratch tile (and a zero-padded bias) then copy the valid part.
        float* scratch = stackalloc float[MaxTile];
        float* biasPad = stackalloc float[MaxTileWidth];

        for (int jc = j0; jc < j1; jc += ncMax)
        {
            int nc = Math.Min(ncMax, j1 - jc);
            for (int pc = 0; pc < k; pc += kcMax)
            {
                int kc = Math.Min(kcMax, k - pc);
                PackB(in job, packB, pc, kc, jc, nc, nr, simdPack);
                // The epilogue rides on the first k-block: start from bias, C or zero; later blocks add to C.
                TileInit init = pc > 0 || job.Accumulate ? TileInit.LoadC : job.Bias != null ? TileInit.Bias : TileInit.Zero;

                for (int ic = i0; ic < i1; ic += mcMax)
                {
                    int mc = Math.Min(mcMax, i1 - ic);
                    PackA(in job, packA, ic, mc, pc, kc, mr, simdPack);
                    for (int jr = 0; jr < nc; jr += nr)
                    {
                        int nrValid = Math.Min(nr, nc - jr);
                        float* bPanel = packB + jr * kc;
                        float* biasTile = job.Bias == null ? null : job.Bias + jc + jr;
                        for (int ir = 0; ir < mc; ir += mr)
                        {
                            int mrValid = Math.Min(mr, mc - ir);
                            float* aPanel = packA + ir * kc;
                            float* cTile = job.C + (long)(ic + ir) * n + jc + jr;
                            if (mrValid == mr && nrValid == nr)
                            {
                                TKernel.Run(kc, aPanel, bPanel, cTile, n, init, biasTile);
                                continue;
                            }

                            if (init == TileInit.LoadC)
                                CopyTile(scratch, nr, cTile, n, mrValid, nrValid);
                            if (init == TileInit.Bias)
                            {
                                new Span<float>(biasPad, nr).Clear();
                                new ReadOnlySpan<float>(biasTile, nrValid).CopyTo(new Span<float>(biasPad, nrValid));
                            }
                            TKernel.Run(kc, aPanel, bPanel, scratch, nr, init, biasPad);
                            CopyTile(cTile, n, scratch, nr, mrValid, nrValid);
                        }
                    }
                }
            }
        }
    }

    /// <summary>Largest MR·NR and NR of any micro-kernel, for the edge scratch tile.</summary>
    private const int MaxTile = 8 * 32, MaxTileWidth = 32;

    private static void CopyTile(float* dst, int ldDst, float* src, int ldSrc, int rows, int cols)
    {
        for (int r = 0; r < rows; r++)
            new ReadOnlySpan<float>(src + (long)r * ldSrc, cols).CopyTo(new Span<float>(dst + (long)r * ldDst, cols));
    }

    /// <summary>
    /// Packs op(A)[ic..ic+mc, pc..pc+kc] into MR-tall micro-panels, panel-major, MR floats per k:
    /// dst[ir·kc + p·MR + r] = op(A)[ic + ir + r, pc + p], rows past mc padded with zeros.
    /// </summary>
    private static void PackA(in Job job, float* dst, int ic, int mc, int pc, int kc, int mr, bool simdPack)
    {
        for (int ir = 0; ir < mc; ir += mr)
        {
            int rows = Math.Min(mr, mc - ir);
            float* d = dst + ir * kc;
            if (job.Op == GemmOp.TN)
                PackContiguous(d, job.A + (long)pc * job.M + ic + ir, job.M, kc, mr, rows, simdPack); // A stored k×m
            else
                PackTransposed(d, job.A + (long)(ic + ir) * job.K + pc, job.K, kc, mr, rows, simdPack); // A stored m×k
        }
    }

    /// <summary>
    /// Packs op(B)[pc..pc+kc, jc..jc+nc] into NR-wide micro-panels, NR floats per k:
    /// dst[jr·kc + p·NR + j] = op(B)[pc + p, jc + jr + j], columns past nc padded with zeros.
    /// </summary>
    private static void PackB(in Job job, float* dst, int pc, int kc, int jc, int nc, int nr, bool simdPack)
    {
        for (int jr = 0; jr < nc; jr += nr)
        {
            int cols = Math.Min(nr, nc - jr);
            float* d = dst + jr * kc;
            if (job.Op == GemmOp.NT)
                PackTransposed(d, job.B + (long)(jc + jr) * job.K + pc, job.K, kc, nr, cols, simdPack); // B stored n×k
            else
                PackContiguous(d, job.B + (long)pc * job.N + jc + jr, job.N, kc, nr, cols, simdPack); // B stored k×n
        }
    }

    /// <summary>dst[p·width + j] = src[p·ld + j] for j &lt; count, zero for count ≤ j &lt; width.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PackContiguous(float* dst, float* src, int ld, int kc, int width, int count, bool simdPack)
    {
        if (simdPack && count == width && width % 8 == 0 && Vector256.IsHardwareAccelerated)
        {
            for (int p = 0; p < kc; p++)
            {
                float* s = src + (long)p * ld;
                float* d = dst + p * width;
                for (int j = 0; j < width; j += 8)
                    Vector256.Store(Vector256.Load(s + j), d + j);
            }
            return;
        }
        for (int p = 0; p < kc; p++)
        {
            float* s = src + (long)p * ld;
            float* d = dst + p * width;
            int j = 0;
            for (; j < count; j++)
                d[j] = s[j];
            for (; j < width; j++)
                d[j] = 0f;
        }
    }

    /// <summary>dst[p·width + r] = src[r·ld + p] for r &lt; count, zero for count ≤ r &lt; width.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PackTransposed(float* dst, float* src, int ld, int kc, int width, int count, bool simdPack)
    {
        int r0 = 0;
        if (simdPack && Avx.IsSupported)
        {
            // 8×8 blocks through an in-register transpose; the k tail falls to the scalar loop below.
            int kc8 = kc & ~7;
            for (; r0 + 8 <= count; r0 += 8)
            {
                for (int p = 0; p < kc8; p += 8)
                    Transpose8x8(dst + p * width + r0, width, src + (long)r0 * ld + p, ld);
                for (int p = kc8; p < kc; p++)
                {
                    for (int r = r0; r < r0 + 8; r++)
                        dst[p * width + r] = src[(long)r * ld + p];
                }
            }
        }
        for (int r = r0; r < count; r++)
        {
            float* s = src + (long)r * ld;
            for (int p = 0; p < kc; p++)
                dst[p * width + r] = s[p];
        }
        for (int r = count; r < width; r++)
        {
            for (int p = 0; p < kc; p++)
                dst[p * width + r] = 0f;
        }
    }

    /// <summary>d[p·ldd + r] = s[r·lds + p] for an 8×8 block: unpack, shuffle, then swap 128-bit halves.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Transpose8x8(float* d, int ldd, float* s, int lds)
    {
        Vector256<float> r0 = Avx.LoadVector256(s), r1 = Avx.LoadVector256(s + lds);
        Vector256<float> r2 = Avx.LoadVector256(s + 2L * lds), r3 = Avx.LoadVector256(s + 3L * lds);
        Vector256<float> r4 = Avx.LoadVector256(s + 4L * lds), r5 = Avx.LoadVector256(s + 5L * lds);
        Vector256<float> r6 = Avx.LoadVector256(s + 6L * lds), r7 = Avx.LoadVector256(s + 7L * lds);

        Vector256<float> t0 = Avx.UnpackLow(r0, r1), t1 = Avx.UnpackHigh(r0, r1);
        Vector256<float> t2 = Avx.UnpackLow(r2, r3), t3 = Avx.UnpackHigh(r2, r3);
        Vector256<float> t4 = Avx.UnpackLow(r4, r5), t5 = Avx.UnpackHigh(r4, r5);
        Vector256<float> t6 = Avx.UnpackLow(r6, r7), t7 = Avx.UnpackHigh(r6, r7);

        Vector256<float> u0 = Avx.Shuffle(t0, t2, 0x44), u1 = Avx.Shuffle(t0, t2, 0xEE);
        Vector256<float> u2 = Avx.Shuffle(t1, t3, 0x44), u3 = Avx.Shuffle(t1, t3, 0xEE);
        Vector256<float> u4 = Avx.Shuffle(t4, t6, 0x44), u5 = Avx.Shuffle(t4, t6, 0xEE);
        Vector256<float> u6 = Avx.Shuffle(t5, t7, 0x44), u7 = Avx.Shuffle(t5, t7, 0xEE);

        Avx.Store(d, Avx.Permute2x128(u0, u4, 0x20));
        Avx.Store(d + ldd, Avx.Permute2x128(u1, u5, 0x20));
        Avx.Store(d + 2 * ldd, Avx.Permute2x128(u2, u6, 0x20));
        Avx.Store(d + 3 * ldd, Avx.Permute2x128(u3, u7, 0x20));
        Avx.Store(d + 4 * ldd, Avx.Permute2x128(u0, u4, 0x31));
        Avx.Store(d + 5 * ldd, Avx.Permute2x128(u1, u5, 0x31));
        Avx.Store(d + 6 * ldd, Avx.Permute2x128(u2, u6, 0x31));
        Avx.Store(d + 7 * ldd, Avx.Permute2x128(u3, u7, 0x31));
    }

    /// <summary>
    /// Per-thread pack buffers, created on a thread's first call and grown only if a block size grows:
    /// after warm-up a GEMM allocates nothing. Pinned (POH) arrays so the kernels can hold pointers, and
    /// the pointers are aligned to 64 bytes so panel loads never split a cache line.
    /// </summary>
    private sealed class Workspace
    {
        [ThreadStatic]
        private static Workspace? t_current;

        private float[] _a = [], _b = [];

        public static Workspace Current => t_current ??= new Workspace();

        public float* A(int floats) => Aligned(ref _a, floats);

        public float* B(int floats) => Aligned(ref _b, floats);

        private static float* Aligned(ref float[] buffer, int floats)
        {
            const int Pad = 16; // floats per 64 bytes
            if (buffer.Length < floats + Pad)
                buffer = GC.AllocateUninitializedArray<float>(floats + Pad, pinned: true);
            nuint address = (nuint)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(buffer));
            return (float*)((address + 63) & ~(nuint)63);
        }
    }
}
