using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Engine.Initializers;
using Engine.Kernels;

namespace Engine.Layers;

/// <summary>
/// A <see cref="Dense{T}"/> layer over an input whose categorical columns are one-hot encoded, computed
/// without building the one-hot matrix: each categorical column arrives as its level index, and its
/// product with W is the weight column of that level (a lookup, as an embedding bag sums its rows).
/// </summary>
/// <remarks>
/// <para>
/// Input: (batch, <see cref="NumericFeatures"/> + <see cref="LevelCounts"/>.Count): the numeric values
/// first, then for categorical column j its level index, an integer in [0, LevelCounts[j]) stored as a
/// float. The one-hot input it stands for has <see cref="InFeatures"/> = numeric + Σ LevelCounts columns:
/// the numeric ones, then each column's levels in order, so level c of column j is one-hot column
/// offset_j + c with offset_j = numeric + Σ_{i&lt;j} LevelCounts[i].
/// </para>
/// <para>
/// The function is exactly that Dense's: y = x_num·W_numᵀ + b + Σ_j W[:, offset_j + code_j]. The
/// parameters are those of a <see cref="Dense{T}"/>(InFeatures, out), which this layer wraps and shares
/// (<see cref="Dense"/>): the same "weight" (out, InFeatures) and "bias" (out), the same initialization,
/// and the Dense spec (<see cref="Spec"/>), so saved and exported models hold an ordinary linear layer over
/// the one-hot columns. <see cref="From"/> turns a loaded Dense back into this layer.
/// </para>
/// <para>
/// Cost per batch: a GEMM over the numeric columns only, and O(batch·categorical·out) for the lookups,
/// whatever the number of levels: only the weight columns of the levels present in the batch are
/// gathered (forward) and scattered into (backward). That pays for wide blocks (many levels per column); for a
/// narrow one (a few levels per column) the Dense GEMM over the one-hot rows is faster (OneHotDenseBenchmarks
/// in Engine.Bench compares both). It is a first layer: codes have no gradient, so
/// Backward must be called with computeInputGrad false, as <see cref="Sequential{T}"/> does for its first layer.
/// </para>
/// </remarks>
public sealed class OneHotDense<T> : Layer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly int[] _levelCounts;
    private readonly int[] _offsets;   // level 0 of categorical column j is categorical-block column _offsets[j]
    private readonly int[] _slotOf;    // (categoricalWidth): the slot of a block column during collection, else -1
    private int[] _active = [];        // slot → categorical-block column, for the last Forward's batch (first _activeCount)
    private int _activeCount;
    private int[] _slots = [];         // (batch, categorical): the slot of each code of the last Forward
    private int[] _slotStart = [];     // (active + 1): Backward's rows-by-slot index (see GroupRowsBySlot)
    private int[] _rowsBySlot = [];    // (batch · categorical): the rows of each slot, ascending
    private Matrix<T>? _input;         // the last Forward's input: (batch, numeric + categorical)
    private Matrix<T>? _numericInput;  // x_num: (batch, numeric), a contiguous copy of the numeric block
    private Matrix<T>? _numericWeight; // W_num: (out, numeric), a contiguous copy of W's numeric columns
    private Matrix<T>? _numericGrad;   // dYᵀ·x_num: (out, numeric)
    private Matrix<T>? _activeWeight;  // (active, out): row s is W's column of slot s (Wᵀ's row)
    private Matrix<T>? _activeGrad;    // (active, out): row s is Σ dY over the rows with the level of slot s
    private Matrix<T>? _output;        // y: (batch, out)
    private bool _haveForward;         // false until a Forward has succeeded (and after one that threw)

    /// <summary>
    /// A layer for <paramref name="numericFeatures"/> numeric columns followed by categorical columns with
    /// <paramref name="levelCounts"/> levels each, standing for Dense(numeric + Σ levelCounts, <paramref name="outFeatures"/>).
    /// </summary>
    /// <param name="numericFeatures">Numeric columns, first in the input (may be 0).</param>
    /// <param name="levelCounts">Levels of each categorical column, in input order (may be empty; each at least 1).</param>
    /// <param name="outFeatures">Output features.</param>
    /// <param name="weightInitializer">The weight initializer, or null for the default that follows from the next activation (as Dense's).</param>
    /// <exception cref="ArgumentOutOfRangeException">A negative count, a level count below 1, no input columns at all, or outFeatures below 1.</exception>
    public OneHotDense(int numericFeatures, IReadOnlyList<int> levelCounts, int outFeatures, IInitializer? weightInitializer = null)
        : this(numericFeatures, levelCounts, null, outFeatures, weightInitializer)
    {
    }

    private OneHotDense(int numericFeatures, IReadOnlyList<int> levelCounts, Dense<T>? dense, int outFeatures, IInitializer? weightInitializer)
    {
        ArgumentNullException.ThrowIfNull(levelCounts);
        Check.NonNegative(numericFeatures, nameof(numericFeatures));
        _levelCounts = [.. levelCounts];
        _offsets = new int[_levelCounts.Length];
        int width = 0;
        for (int j = 0; j < _levelCounts.Length; j++)
        {
            if (_levelCounts[j] < 1)
                throw new ArgumentOutOfRangeException(nameof(levelCounts), _levelCounts[j], $"Categorical column {j} has {_levelCounts[j]} levels; each needs at least 1.");
            _offsets[j] = width;
            width = checked(width + _levelCounts[j]);
        }
        int inFeatures = checked(numericFeatures + width);
        if (inFeatures == 0)
            throw new ArgumentOutOfRangeException(nameof(numericFeatures), "A OneHotDense layer needs at least one numeric or categorical column.");
        NumericFeatures = numericFeatures;
        LevelCounts = Array.AsReadOnly(_levelCounts);
        CategoricalWidth = width;
        Dense = dense ?? new Dense<T>(inFeatures, outFeatures, weightInitializer);
        _slotOf = new int[width];
        Array.Fill(_slotOf, -1);
    }

    /// <summary>
    /// The lookup layer computing <paramref name="dense"/> (e.g. loaded from a model file) over inputs laid out
    /// as <paramref name="numericFeatures"/> numeric columns and categorical columns of <paramref name="levelCounts"/>
    /// levels. The new layer shares <paramref name="dense"/>'s parameters (and initializers): no copy is made.
    /// </summary>
    /// <exception cref="ArgumentException">dense's input width is not numeric + Σ levelCounts.</exception>
    public static OneHotDense<T> From(Dense<T> dense, int numericFeatures, IReadOnlyList<int> levelCounts)
    {
        ArgumentNullException.ThrowIfNull(dense);
        ArgumentNullException.ThrowIfNull(levelCounts);
        long width = numericFeatures + levelCounts.Sum(n => (long)n);
        if (width != dense.InFeatures)
            throw new ArgumentException($"{dense} takes {dense.InFeatures} features but {numericFeatures} numeric columns and levels [{string.Join(", ", levelCounts)}] make {width} one-hot columns.", nameof(dense));
        return new OneHotDense<T>(numericFeatures, levelCounts, dense, dense.OutFeatures, null);
    }

    /// <inheritdoc/>
    public override string Name => "OneHotDense";

    /// <summary>The Dense layer this one computes, over the one-hot input; it holds the parameters (shared, not copied).</summary>
    public Dense<T> Dense { get; }

    /// <summary>Numeric columns, first in the input.</summary>
    public int NumericFeatures { get; }

    /// <summary>Levels of each categorical column, in input order.</summary>
    public IReadOnlyList<int> LevelCounts { get; }

    /// <summary>Σ LevelCounts: the one-hot columns of the categorical block.</summary>
    public int CategoricalWidth { get; }

    /// <summary>Columns of the input this layer takes: numeric + one code per categorical column.</summary>
    public int InputColumns => NumericFeatures + _levelCounts.Length;

    /// <summary>Width of the one-hot input it stands for: numeric + Σ LevelCounts (the Dense's in features).</summary>
    public int InFeatures => Dense.InFeatures;

    /// <summary>Output features.</summary>
    public int OutFeatures => Dense.OutFeatures;

    /// <summary>W: (out, InFeatures), the Dense's.</summary>
    public Parameter<T> Weight => Dense.Weight;

    /// <summary>b: (1, out), the Dense's.</summary>
    public Parameter<T> Bias => Dense.Bias;

    /// <inheritdoc/>
    public override IReadOnlyList<Parameter<T>> Parameters => Dense.Parameters;

    /// <inheritdoc/>
    public override int OutputFeatures(int inputFeatures) => OutFeatures;

    /// <summary>The input columns: numeric + one per categorical column (not the one-hot width).</summary>
    public override int? RequiredInputFeatures => InputColumns;

    /// <summary>The Dense spec (type "Dense", InFeatures, out): files describe the ordinary layer this one computes.</summary>
    public override LayerSpec Spec => Dense.Spec;

    /// <summary>Draws new weights and biases exactly as the wrapped Dense does (<see cref="Dense{T}.ResetParameters"/>): same rng, same values.</summary>
    public void ResetParameters(Rng rng, Activation next = Activation.Identity, double negativeSlope = 0) =>
        Dense.ResetParameters(rng, next, negativeSlope);

    /// <inheritdoc/>
    /// <exception cref="ArgumentException">A categorical value that is not an integer in [0, levels); the message names row and column.</exception>
    public override Matrix<T> Forward(Matrix<T> input)
    {
        ArgumentNullException.ThrowIfNull(input);
        Check.Columns(input, InputColumns, nameof(input));
        _haveForward = false;
        int batch = input.Rows, numeric = NumericFeatures, inFeatures = InFeatures, outFeatures = OutFeatures;
        ReadCodes(input);
        var y = Matrix<T>.Reuse(ref _output, batch, outFeatures);
        ReadOnlySpan<T> w = Weight.Value.AsSpan(), b = Bias.Value.AsSpan();

        // y = x_num·W_numᵀ + b
        if (numeric == 0)
        {
            for (int r = 0; r < batch; r++)
                b.CopyTo(y.Row(r));
        }
        else if (_levelCounts.Length == 0)
        {
            Gemm.Linear(y.AsSpan(), input.AsSpan(), w, b, batch, numeric, outFeatures);
        }
        else
        {
            var xNum = Matrix<T>.Reuse(ref _numericInput, batch, numeric);
            for (int r = 0; r < batch; r++)
                input.Row(r)[..numeric].CopyTo(xNum.Row(r));
            var wNum = Matrix<T>.Reuse(ref _numericWeight, outFeatures, numeric);
            for (int o = 0; o < outFeatures; o++)
                w.Slice(o * inFeatures, numeric).CopyTo(wNum.Row(o));
            Gemm.Linear(y.AsSpan(), xNum.AsSpan(), wNum.AsSpan(), b, batch, numeric, outFeatures);
        }

        if (_levelCounts.Length > 0)
        {
            // a[s, :] = W[:, numeric + active[s]]: the weight columns of the levels in this batch, as rows
            var a = Matrix<T>.Reuse(ref _activeWeight, _activeCount, outFeatures);
            var aSpan = a.AsSpan();
            GatherColumns(aSpan, w, outFeatures, inFeatures, numeric, _active.AsSpan(0, _activeCount));
            // y[r, :] += Σ_j W[:, offset_j + code_rj] = Σ_j a[slot_rj, :]
            int categorical = _levelCounts.Length;
            for (int r = 0; r < batch; r++)
                SumRows(y.Row(r), aSpan, _slots.AsSpan(r * categorical, categorical), outFeatures, accumulate: true);
        }
        _input = input;
        _haveForward = true;
        return y;
    }

    /// <inheritdoc/>
    /// <exception cref="InvalidOperationException">computeInputGrad is true: level codes have no gradient.</exception>
    public override Matrix<T>? Backward(Matrix<T> gradOutput, bool computeInputGrad = true)
    {
        CheckGradient(_haveForward ? _output : null, gradOutput, Name);
        if (computeInputGrad)
            throw new InvalidOperationException(
                "OneHotDense takes level codes, which have no gradient: it must be the first layer, and its Backward called with computeInputGrad: false (Sequential does so for the first layer).");
        int batch = gradOutput.Rows, numeric = NumericFeatures, inFeatures = InFeatures, outFeatures = OutFeatures;
        ReadOnlySpan<T> dy = gradOutput.AsSpan();
        Span<T> dw = Weight.Grad.AsSpan();

        // dW_num += dYᵀ·x_num : (out, batch)·(batch, numeric)
        if (numeric > 0 && _levelCounts.Length == 0)
        {
            Gemm.MatMulTransA(dw, dy, _input!.AsSpan(), outFeatures, batch, numeric, accumulate: true);
        }
        else if (numeric > 0)
        {
            var g = Matrix<T>.Reuse(ref _numericGrad, outFeatures, numeric);
            Gemm.MatMulTransA(g.AsSpan(), dy, _numericInput!.AsSpan(), outFeatures, batch, numeric);
            for (int o = 0; o < outFeatures; o++)
            {
                Span<T> dwNum = dw.Slice(o * inFeatures, numeric);
                TensorPrimitives.Add(dwNum, g.Row(o), dwNum);
            }
        }

        if (_levelCounts.Length > 0)
        {
            // ga[s, :] = Σ dY[r, :] over the rows whose code (in some column) is slot s, in row order
            var ga = Matrix<T>.Reuse(ref _activeGrad, _activeCount, outFeatures);
            GroupRowsBySlot(batch);
            for (int s = 0; s < _activeCount; s++)
                SumRows(ga.Row(s), dy, _rowsBySlot.AsSpan(_slotStart[s], _slotStart[s + 1] - _slotStart[s]), outFeatures, accumulate: false);
            // dW[:, numeric + active[s]] += ga[s, :]
            ScatterAddColumns(dw, ga.AsSpan(), outFeatures, inFeatures, numeric, _active.AsSpan(0, _activeCount));
        }

        // db += Σrows dY
        Reductions.ColumnSums(Bias.Grad.AsSpan(), dy, batch, outFeatures, accumulate: true);
        return null;
    }

    /// <summary>
    /// dst[0..n) (+)= Σ_i rows[which[i], 0..n) for a row-major matrix of n columns: each vector of dst is held in a
    /// register while the listed rows are added in order (no call or store per row).
    /// </summary>
    private static void SumRows(Span<T> dst, ReadOnlySpan<T> rows, ReadOnlySpan<int> which, int n, bool accumulate)
    {
        if (!accumulate)
            dst[..n].Clear();
        ref T src = ref MemoryMarshal.GetReference(rows);
        int o = 0;
        if (Vector.IsHardwareAccelerated && Vector<T>.IsSupported)
        {
            for (; o <= n - Vector<T>.Count; o += Vector<T>.Count)
            {
                var acc = new Vector<T>(dst[o..]);
                foreach (int s in which)
                    acc += Vector.LoadUnsafe(ref src, (nuint)(s * n + o));
                acc.CopyTo(dst[o..]);
            }
        }
        for (; o < n; o++)
        {
            T acc = dst[o];
            foreach (int s in which)
                acc += rows[s * n + o];
            dst[o] = acc;
        }
    }

    /// <summary>
    /// dst[s, o] = w[o, offset + columns[s]] for the (rows × stride) row-major w: the listed columns of w as the rows
    /// of dst (columns.Length × rows). Column indices were checked when the codes were read.
    /// </summary>
    private static void GatherColumns(Span<T> dst, ReadOnlySpan<T> w, int rows, int stride, int offset, ReadOnlySpan<int> columns)
    {
        int count = columns.Length;
        Check.Length(dst.Length, (long)count * rows, nameof(dst));
        Check.Length(w.Length, (long)rows * stride, nameof(w));
        ref T d = ref MemoryMarshal.GetReference(dst);
        ref int c = ref MemoryMarshal.GetReference(columns);
        for (int o = 0; o < rows; o++)
        {
            ref T wRow = ref Unsafe.Add(ref MemoryMarshal.GetReference(w), (nint)o * stride + offset);
            for (int s = 0; s < count; s++)
                Unsafe.Add(ref d, (nint)s * rows + o) = Unsafe.Add(ref wRow, Unsafe.Add(ref c, s));
        }
    }

    /// <summary>w[o, offset + columns[s]] += src[s, o]: <see cref="GatherColumns"/> backwards, accumulating (the columns are distinct).</summary>
    private static void ScatterAddColumns(Span<T> w, ReadOnlySpan<T> src, int rows, int stride, int offset, ReadOnlySpan<int> columns)
    {
        int count = columns.Length;
        Check.Length(src.Length, (long)count * rows, nameof(src));
        Check.Length(w.Length, (long)rows * stride, nameof(w));
        ref T s0 = ref MemoryMarshal.GetReference(src);
        ref int c = ref MemoryMarshal.GetReference(columns);
        for (int o = 0; o < rows; o++)
        {
            ref T wRow = ref Unsafe.Add(ref MemoryMarshal.GetReference(w), (nint)o * stride + offset);
            for (int s = 0; s < count; s++)
                Unsafe.Add(ref wRow, Unsafe.Add(ref c, s)) += Unsafe.Add(ref s0, (nint)s * rows + o);
        }
    }

    /// <summary>
    /// Lists the rows of the last Forward's batch by slot (a stable counting sort of _slots): the rows using slot s
    /// are _rowsBySlot[_slotStart[s] .. _slotStart[s + 1]), ascending. A row uses a slot at most once (one code per column).
    /// </summary>
    private void GroupRowsBySlot(int batch)
    {
        int categorical = _levelCounts.Length, pairs = batch * categorical;
        if (_slotStart.Length < _activeCount + 1)
            _slotStart = new int[_active.Length + 1];
        if (_rowsBySlot.Length < pairs)
            _rowsBySlot = new int[_slots.Length];
        Span<int> start = _slotStart.AsSpan(0, _activeCount + 1);
        start.Clear();
        for (int i = 0; i < pairs; i++)
            start[_slots[i] + 1]++;
        for (int s = 0; s < _activeCount; s++)
            start[s + 1] += start[s];
        for (int r = 0, i = 0; r < batch; r++)
        {
            for (int j = 0; j < categorical; j++, i++)
                _rowsBySlot[start[_slots[i]]++] = r;
        }
        // the fill advanced each start to the next slot's: shift back
        for (int s = _activeCount; s > 0; s--)
            start[s] = start[s - 1];
        start[0] = 0;
    }

    /// <summary>
    /// Checks every code of the batch and gives each distinct level a slot, in first-seen order: _slots holds
    /// the slot of each (row, column), _active the block column of each slot. Nothing is left marked in _slotOf.
    /// </summary>
    private void ReadCodes(Matrix<T> input)
    {
        int categorical = _levelCounts.Length;
        if (categorical == 0)
        {
            _activeCount = 0;
            return;
        }
        int batch = input.Rows, numeric = NumericFeatures;
        int pairs = checked(batch * categorical);
        if (_slots.Length < pairs)
            _slots = new int[pairs];
        int maxActive = Math.Min(pairs, CategoricalWidth);
        if (_active.Length < maxActive)
            _active = new int[maxActive];
        int count = 0;
        try
        {
            for (int r = 0; r < batch; r++)
            {
                ReadOnlySpan<T> codes = input.Row(r)[numeric..];
                for (int j = 0; j < categorical; j++)
                {
                    T v = codes[j];
                    if (!T.IsInteger(v) || v < T.Zero || v >= T.CreateTruncating(_levelCounts[j]))
                        throw BadCode(r, j, v);
                    int column = _offsets[j] + int.CreateTruncating(v);
                    int slot = _slotOf[column];
                    if (slot < 0)
                    {
                        slot = _slotOf[column] = count;
                        _active[count++] = column;
                    }
                    _slots[r * categorical + j] = slot;
                }
            }
        }
        finally
        {
            for (int s = 0; s < count; s++)
                _slotOf[_active[s]] = -1;
            _activeCount = count;
        }
    }

    private ArgumentException BadCode(int row, int column, T value) => new(
        $"OneHotDense input row {row}, column {NumericFeatures + column} (categorical column {column}): {value} is not a level index; expected an integer in [0, {_levelCounts[column]}).",
        "input");

    /// <inheritdoc/>
    public override string ToString() =>
        $"OneHotDense({NumericFeatures} numeric + levels [{string.Join(", ", _levelCounts)}] = {InFeatures} → {OutFeatures})";
}
