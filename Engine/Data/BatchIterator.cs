using Engine.Kernels;

namespace Engine.Data;

/// <summary>
/// Mini-batches over a dataset: a permutation of row indices (no copy of the dataset) and reusable batch
/// matrices the rows are gathered into, so after the first epoch iterating allocates nothing.
/// Each epoch's order is a pure function of (seed, epoch): <see cref="StartEpoch(int, int)"/> resets the
/// permutation to the identity and shuffles it with a generator seeded from both, so a run can be resumed
/// at any epoch and step and see exactly the batches an uninterrupted run would.
/// </summary>
public sealed class BatchIterator
{
    private readonly Dataset _data;
    private readonly ulong? _seed;
    private readonly Rng _rng = new(0); // re-seeded in place each epoch
    private readonly int[] _order;
    private Matrix<float>? _x; // (batch, features)
    private Matrix<float>? _y; // (batch, 1)
    private int _position;

    /// <summary>Batches of <paramref name="batchSize"/> rows, shuffled from <paramref name="seed"/> (null keeps file order).</summary>
    public BatchIterator(Dataset data, int batchSize, ulong? seed, bool dropLast = false)
    {
        ArgumentNullException.ThrowIfNull(data);
        Check.Positive(batchSize, nameof(batchSize));
        _data = data;
        BatchSize = batchSize;
        _seed = seed;
        DropLast = dropLast;
        _order = new int[data.Count];
        _position = data.Count;
    }

    /// <summary>Rows per batch.</summary>
    public int BatchSize { get; }

    /// <summary>Whether a final batch smaller than <see cref="BatchSize"/> is skipped.</summary>
    public bool DropLast { get; }

    /// <summary>Batches per epoch.</summary>
    public int StepsPerEpoch => DropLast ? _order.Length / BatchSize : (_order.Length + BatchSize - 1) / BatchSize;

    /// <summary>The row order of the current epoch.</summary>
    public ReadOnlySpan<int> Order => _order;

    /// <summary>
    /// Starts epoch <paramref name="epoch"/> (0-based) at batch <paramref name="step"/>: the order is the
    /// identity shuffled by Rng(EpochSeed(seed, epoch)), independent of any earlier epoch.
    /// </summary>
    public void StartEpoch(int epoch, int step = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(epoch);
        ArgumentOutOfRangeException.ThrowIfNegative(step);
        for (int i = 0; i < _order.Length; i++)
            _order[i] = i;
        if (_seed is ulong seed)
        {
            _rng.Reseed(EpochSeed(seed, epoch));
            _rng.Shuffle(_order.AsSpan());
        }
        _position = (int)Math.Min((long)step * BatchSize, _order.Length);
    }

    /// <summary>
    /// The seed of one epoch's shuffle: seed ⊕ φ·(epoch + 1), with φ = 2⁶⁴/golden ratio (SplitMix64's
    /// increment); the generator's own SplitMix64 seeding then decorrelates neighbouring epochs.
    /// </summary>
    public static ulong EpochSeed(ulong seed, int epoch) => seed ^ (0x9E3779B97F4A7C15UL * (ulong)(epoch + 1));

    /// <summary>The next batch, or false at the end of the epoch. The matrices are reused by the next call.</summary>
    public bool Next(out Matrix<float> x, out Matrix<float> y)
    {
        int rows = Math.Min(BatchSize, _order.Length - _position);
        if (rows <= 0 || (DropLast && rows < BatchSize))
        {
            x = y = null!;
            return false;
        }
        x = Matrix<float>.Reuse(ref _x, rows, _data.Features.Cols);
        y = Matrix<float>.Reuse(ref _y, rows, 1);
        ReadOnlySpan<int> batch = _order.AsSpan(_position, rows);
        _position += rows;
        ReadOnlySpan<int> next = PrefetchNext ? _order.AsSpan(_position, Math.Min(BatchSize, _order.Length - _position)) : [];
        RowGather.Rows(_data.Features, batch, x, next);
        for (int i = 0; i < rows; i++)
            y[i, 0] = _data.Targets[batch[i], 0];
        return true;
    }

    /// <summary>
    /// Whether <see cref="Next"/> asks the CPU to fetch the next batch's rows while the current one is being used:
    /// they are scattered over the whole dataset, and the gather otherwise waits on memory for each of them.
    /// </summary>
    internal static bool PrefetchNext { get; set; } = true;
}
