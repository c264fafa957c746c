using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace Engine;

/// <summary>
/// A dense row-major matrix of <typeparamref name="T"/> (float for training, double for gradient checks).
/// Element (r, c) lives at <c>r * Cols + c</c>. The backing array may be longer than
/// <c>Rows * Cols</c>, so a layer's buffer sized for the largest batch can be reused for a smaller one.
/// </summary>
public sealed class Matrix<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T[] _data;

    /// <summary>Creates a zero-filled <paramref name="rows"/> × <paramref name="cols"/> matrix.</summary>
    public Matrix(int rows, int cols)
    {
        Check.NonNegative(rows, nameof(rows));
        Check.NonNegative(cols, nameof(cols));
        Rows = rows;
        Cols = cols;
        _data = new T[checked(rows * cols)];
    }

    /// <summary>Wraps <paramref name="data"/> (not copied) as a <paramref name="rows"/> × <paramref name="cols"/> matrix.</summary>
    public Matrix(int rows, int cols, T[] data)
    {
        ArgumentNullException.ThrowIfNull(data);
        Check.NonNegative(rows, nameof(rows));
        Check.NonNegative(cols, nameof(cols));
        if (data.Length < (long)rows * cols)
            throw new ArgumentException($"data has {data.Length} elements; a {rows}×{cols} matrix needs {(long)rows * cols}.", nameof(data));
        Rows = rows;
        Cols = cols;
        _data = data;
    }

    /// <summary>Number of rows (for activations: the batch size).</summary>
    public int Rows { get; private set; }

    /// <summary>Number of columns (for activations: the features).</summary>
    public int Cols { get; }

    /// <summary>Rows × Cols.</summary>
    public int Length => Rows * Cols;

    /// <summary>The elements, row-major, exactly <see cref="Length"/> long.</summary>
    public Span<T> AsSpan() => _data.AsSpan(0, Rows * Cols);

    /// <summary>Row <paramref name="row"/> as a span of <see cref="Cols"/> elements.</summary>
    public Span<T> Row(int row)
    {
        if ((uint)row >= (uint)Rows)
            ThrowRowOutside(row);
        return _data.AsSpan(row * Cols, Cols);
    }

    /// <summary>Element at (<paramref name="row"/>, <paramref name="col"/>).</summary>
    public T this[int row, int col]
    {
        get => _data[Index(row, col)];
        set => _data[Index(row, col)] = value;
    }

    /// <summary>A copy with its own storage.</summary>
    public Matrix<T> Clone() => new(Rows, Cols, AsSpan().ToArray());

    /// <summary>Sets every element to zero.</summary>
    public void Clear() => AsSpan().Clear();

    /// <summary>"rows×cols", for messages.</summary>
    public string ShapeString => $"{Rows}×{Cols}";

    /// <inheritdoc/>
    public override string ToString() => $"Matrix<{typeof(T).Name}>({ShapeString})";

    /// <summary>
    /// Makes <paramref name="buffer"/> a <paramref name="rows"/> × <paramref name="cols"/> matrix, reusing its
    /// storage when it is large enough: after the largest batch has been seen this never allocates.
    /// The contents are unspecified afterwards.
    /// </summary>
    internal static Matrix<T> Reuse(ref Matrix<T>? buffer, int rows, int cols)
    {
        if (buffer is not null && buffer.Cols == cols && buffer._data.Length >= rows * cols)
        {
            buffer.Rows = rows;
            return buffer;
        }
        buffer = new Matrix<T>(rows, cols);
        return buffer;
    }

    private int Index(int row, int col)
    {
        if ((uint)row >= (uint)Rows || (uint)col >= (uint)Cols)
            ThrowOutside(row, col);
        return row * Cols + col;
    }

    // Throw helpers keep the message formatting out of the indexer, so the JIT can inline it.
    [DoesNotReturn, MethodImpl(MethodImplOptions.NoInlining)]
    private void ThrowOutside(int row, int col) =>
        throw new ArgumentOutOfRangeException(nameof(row), $"({row}, {col}) is outside a {ShapeString} matrix.");

    [DoesNotReturn, MethodImpl(MethodImplOptions.NoInlining)]
    private void ThrowRowOutside(int row) =>
        throw new ArgumentOutOfRangeException(nameof(row), row, $"row must be in [0, {Rows}).");
}
