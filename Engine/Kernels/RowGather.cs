namespace Engine.Kernels;

/// <summary>
/// Row gather (torch.index_select along dim 0): destination row i = source row indices[i], split in two halves on
/// the kernel threads (<see cref="GemmWorkers"/>; a row is copied, so which thread copies it changes nothing). Each
/// half then asks the CPU to fetch its share of the rows of the next gather, if given: rows scattered over a large
/// matrix otherwise make every copy wait on memory.
/// </summary>
internal static unsafe class RowGather
{
    /// <summary>Rows below this many floats in all are copied on the calling thread: a hand-off would cost more.</summary>
    internal static int ParallelMinFloats { get; set; } = 1 << 14;

    private struct Job
    {
        public float* Source, Destination;
        public int* Indices, Next;
        public int Rows, NextRows, Cols, Parts;
    }

    /// <summary>
    /// Copies the rows <paramref name="indices"/> of <paramref name="source"/> into the first rows of
    /// <paramref name="destination"/>, then prefetches the rows <paramref name="next"/> (into the L2 cache).
    /// </summary>
    public static void Rows(Matrix<float> source, ReadOnlySpan<int> indices, Matrix<float> destination, ReadOnlySpan<int> next)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(destination);
        if (destination.Cols != source.Cols || destination.Rows < indices.Length)
            throw new ArgumentException($"Cannot gather {indices.Length} rows of {source.ShapeString} into {destination.ShapeString}.", nameof(destination));
        foreach (int i in indices)
        {
            if ((uint)i >= (uint)source.Rows)
                throw new ArgumentOutOfRangeException(nameof(indices), i, $"Row index {i} is outside the {source.Rows} rows.");
        }
        foreach (int i in next)
        {
            if ((uint)i >= (uint)source.Rows)
                throw new ArgumentOutOfRangeException(nameof(next), i, $"Row index {i} is outside the {source.Rows} rows.");
        }
        fixed (float* src = source.AsSpan(), dst = destination.AsSpan())
        fixed (int* idx = indices, nxt = next)
        {
            int parts = (long)indices.Length * source.Cols >= ParallelMinFloats ? 2 : 1;
            var job = new Job { Source = src, Destination = dst, Indices = idx, Next = nxt, Rows = indices.Length, NextRows = next.Length, Cols = source.Cols, Parts = parts };
            GemmWorkers.Run(&Part, &job, parts, KernelOptions.MaxThreads);
        }
    }

    // Part p of the job's parts (one part: everything): its rows, then its share of the next rows.
    private static void Part(void* state, int part)
    {
        ref readonly Job job = ref *(Job*)state;
        bool whole = job.Parts == 1;
        (int start, int end) = whole ? (0, job.Rows) : Half(job.Rows, part);
        long rowBytes = (long)job.Cols * sizeof(float);
        for (int i = start; i < end; i++)
        {
            Buffer.MemoryCopy(job.Source + (long)job.Indices[i] * job.Cols, job.Destination + (long)i * job.Cols, rowBytes, rowBytes);
        }
        if (!System.Runtime.Intrinsics.X86.Sse.IsSupported)
            return;
        (int nextStart, int nextEnd) = whole ? (0, job.NextRows) : Half(job.NextRows, part);
        for (int i = nextStart; i < nextEnd; i++)
        {
            byte* row = (byte*)(job.Source + (long)job.Next[i] * job.Cols);
            for (long offset = 0; offset < rowBytes; offset += 64)
                System.Runtime.Intrinsics.X86.Sse.Prefetch1(row + offset);
        }
    }

    private static (int Start, int End) Half(int rows, int part) => part == 0 ? (0, rows / 2) : (rows / 2, rows);
}
