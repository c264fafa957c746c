namespace Engine.Data;

/// <summary>
/// Mini-batches over a dataset: a permutation of row indices, reshuffled each epoch from a seeded
/// generator (no copy of the dataset), and reusable batch matrices the rows are gathered into, so after
/// the first epoch iterating allocates nothing.
/// </summary>
public sealed class BatchIterator
{
    private readonly Dataset _data;
    private readonly Rng? _rng;
    private readonly int[] _order;
    private Matrix<float>? _x; // (batch, features)
    private Matrix<float>? _y; // (batch, 1)
    private int _position;

    /// <summary>Batches of <paramref name="batchSize"/> rows, shuffled by <paramref name="shuffle"/> (null keeps file order).</summary>
    public BatchIterator(Dataset data, int batchSize, Rng? shuffle, bool dropLast = false)
    {
        ArgumentNullException.ThrowIfNull(data);
        Shape.CheckPositive(batchSize, nameof(batchSize));
        _data = data;
        BatchSize = batchSize;
        _rng = shuffle;
        DropLast = dropLast;
        _order = [.. Enumerable.Range(0, data.Count)];
        _position = data.Count;
    }

    /// <summary>Rows per batch.</summary>
    public int BatchSize { get; }

    /// <summary>Whether a final batch smaller than <see cref="BatchSize"/> is skipped.</summary>
    public bool DropLast { get; }

    /// <summary>The row order of the current epoch.</summary>
    public ReadOnlySpan<int> Order => _order;

    /// <summary>Starts an epoch: reshuffles the row order (when shuffling) and rewinds.</summary>
    public void StartEpoch()
    {
        _rng?.Shuffle(_order.AsSpan());
        _position = 0;
    }

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
        for (int i = 0; i < rows; i++)
        {
            int row = _order[_position + i];
            _data.Features.Row(row).CopyTo(x.Row(i));
            y[i, 0] = _data.Targets[row, 0];
        }
        _position += rows;
        return true;
    }
}
