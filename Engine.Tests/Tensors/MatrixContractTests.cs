namespace Engine.Tests.Tensors;

/// <summary>
/// Matrix and Check at their edges: storage longer than the shape, indices one past the end, reuse exactly at
/// capacity, and the messages and parameter names of every check.
/// </summary>
public class MatrixContractTests
{
    [Fact]
    public void WrappedStorageMayBeLongerButTheMatrixSeesOnlyItsShape()
    {
        float[] data = [1, 2, 3, 4, 5, 6, 7];
        var m = new Matrix<float>(2, 3, data);
        Assert.Equal((2, 3, 6), (m.Rows, m.Cols, m.Length));
        Assert.Equal(new float[] { 1, 2, 3, 4, 5, 6 }, m.AsSpan().ToArray());
        Assert.Equal(new float[] { 4, 5, 6 }, m.Row(1).ToArray());
        Assert.Equal(5f, m[1, 1]);
        m[0, 2] = 30;
        Assert.Equal(30f, data[2]); // wrapped, not copied
        m.Clear();
        Assert.Equal(new float[] { 0, 0, 0, 0, 0, 0, 7 }, data); // only the shape's elements
        Assert.Equal(6, new Matrix<float>(2, 3, new float[6]).Length); // exactly long enough
    }

    [Fact]
    public void WrappedStorageTooShortIsRefused()
    {
        var ex = Assert.Throws<ArgumentException>(() => new Matrix<float>(2, 3, new float[5]));
        Assert.Equal("data", ex.ParamName);
        Assert.Contains("data has 5 elements; a 2×3 matrix needs 6.", ex.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentNullException>(() => new Matrix<float>(1, 1, null!));
        Assert.Equal("cols", Assert.Throws<ArgumentOutOfRangeException>(() => new Matrix<float>(2, -1, new float[4])).ParamName);
        Assert.Equal("rows", Assert.Throws<ArgumentOutOfRangeException>(() => new Matrix<float>(-2, 1, new float[4])).ParamName);
        Assert.Equal("cols", Assert.Throws<ArgumentOutOfRangeException>(() => new Matrix<double>(1, -1)).ParamName);
        Assert.Equal(0, new Matrix<double>(0, 5).Length);
        // 2¹⁶ × 2¹⁶ elements overflow an int: refused, not wrapped round to an empty array
        Assert.Throws<OverflowException>(() => new Matrix<float>(1 << 16, 1 << 16));
    }

    [Theory]
    [InlineData(-1, 0)]
    [InlineData(2, 0)]
    [InlineData(0, -1)]
    [InlineData(0, 3)]
    public void AnIndexOutsideTheShapeThrowsNamingItAndTheShape(int row, int col)
    {
        var m = new Matrix<float>(2, 3, new float[8]); // storage beyond the shape must not be reachable either
        var get = Assert.Throws<ArgumentOutOfRangeException>(() => m[row, col]);
        Assert.Contains($"({row}, {col}) is outside a 2×3 matrix.", get.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => m[row, col] = 1);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(2)]
    public void ARowOutsideTheShapeThrows(int row)
    {
        var m = new Matrix<float>(2, 3, new float[9]);
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => m.Row(row));
        Assert.Equal("row", ex.ParamName);
        Assert.Contains("row must be in [0, 2).", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CloneOwnsItsStorage()
    {
        var m = new Matrix<double>(2, 2, [1, 2, 3, 4, 99]);
        var c = m.Clone();
        m[0, 0] = -1;
        Assert.Equal((2, 2), (c.Rows, c.Cols));
        Assert.Equal(new double[] { 1, 2, 3, 4 }, c.AsSpan().ToArray());
    }

    [Fact]
    public void ShapeStringAndToString()
    {
        Assert.Equal("2×3", new Matrix<float>(2, 3).ShapeString);
        Assert.Equal("Matrix<Single>(4×1)", new Matrix<float>(4, 1).ToString());
        Assert.Equal("Matrix<Double>(0×2)", new Matrix<double>(0, 2).ToString());
    }

    [Fact]
    public void ReuseKeepsTheBufferUpToItsCapacityAndReplacesItBeyondOrForOtherColumns()
    {
        Matrix<float>? buffer = null;
        var first = Matrix<float>.Reuse(ref buffer, 3, 4);
        Assert.Same(first, buffer);
        Assert.Same(first, Matrix<float>.Reuse(ref buffer, 3, 4)); // exactly the capacity
        Assert.Same(first, Matrix<float>.Reuse(ref buffer, 1, 4));
        Assert.Equal((1, 4, 4), (first.Rows, first.Cols, first.AsSpan().Length));
        Assert.Same(first, Matrix<float>.Reuse(ref buffer, 3, 4)); // back up to the capacity
        var taller = Matrix<float>.Reuse(ref buffer, 4, 4);
        Assert.NotSame(first, taller);
        Assert.Same(taller, buffer);
        Assert.Equal((4, 4), (taller.Rows, taller.Cols));
        var narrower = Matrix<float>.Reuse(ref buffer, 2, 2); // fits in the storage, but another width
        Assert.NotSame(taller, narrower);
        Assert.Equal((2, 2), (narrower.Rows, narrower.Cols));
    }

    [Fact]
    public void ChecksPassAtTheirBoundsAndNameTheArgumentPastThem()
    {
        Check.NonNegative(0, "n");
        Check.Positive(1, "n");
        Check.Length(5, 5, "x");
        var nonNegative = Assert.Throws<ArgumentOutOfRangeException>(() => Check.NonNegative(-1, "count"));
        Assert.Equal("count", nonNegative.ParamName);
        Assert.Contains("count must be non-negative, got -1.", nonNegative.Message, StringComparison.Ordinal);
        var positive = Assert.Throws<ArgumentOutOfRangeException>(() => Check.Positive(0, "width"));
        Assert.Equal("width", positive.ParamName);
        Assert.Contains("width must be positive, got 0.", positive.Message, StringComparison.Ordinal);
        var length = Assert.Throws<ArgumentException>(() => Check.Length(4, 5, "x"));
        Assert.Equal("x", length.ParamName);
        Assert.Contains("x has 4 elements but 5 are needed.", length.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(2, 3, 2, 4)]
    [InlineData(2, 3, 3, 3)]
    public void SameShapeRefusesADifferentRowOrColumnCount(int rowsA, int colsA, int rowsB, int colsB)
    {
        Check.SameShape(new Matrix<float>(rowsA, colsA), new Matrix<float>(rowsA, colsA), "a", "b");
        var ex = Assert.Throws<ArgumentException>(() => Check.SameShape(new Matrix<float>(rowsA, colsA), new Matrix<float>(rowsB, colsB), "output", "grad"));
        Assert.Equal("grad", ex.ParamName);
        Assert.Contains($"Shape mismatch: output is {rowsA}×{colsA} but grad is {rowsB}×{colsB}.", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ColumnsNamesTheMatrixAndTheExpectedWidth()
    {
        Check.Columns(new Matrix<float>(2, 3), 3, "input");
        var ex = Assert.Throws<ArgumentException>(() => Check.Columns(new Matrix<float>(2, 3), 4, "input"));
        Assert.Equal("input", ex.ParamName);
        Assert.Contains("Shape mismatch: input is 2×3 but 4 columns were expected.", ex.Message, StringComparison.Ordinal);
    }
}
