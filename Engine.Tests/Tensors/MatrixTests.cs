namespace Engine.Tests.Tensors;

public class MatrixTests
{
    [Fact]
    public void IndexerIsRowMajor()
    {
        var m = new Matrix<float>(2, 3, [1, 2, 3, 4, 5, 6]);
        Assert.Equal(6f, m[1, 2]);
        Assert.Equal(4f, m.Row(1)[0]);
    }

    [Fact]
    public void NegativeSizeThrowsNamingTheParameter()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new Matrix<float>(-1, 3));
        Assert.Equal("rows", ex.ParamName);
        Assert.Contains("-1", ex.Message);
    }

    [Fact]
    public void ShapeMismatchNamesBothShapes()
    {
        var ex = Assert.Throws<ArgumentException>(() => Check.SameShape(new Matrix<float>(2, 3), new Matrix<float>(3, 2), "a", "b"));
        Assert.Contains("2×3", ex.Message);
        Assert.Contains("3×2", ex.Message);
    }

    [Fact]
    public void ReuseKeepsStorageForSmallerBatches()
    {
        Matrix<float>? buf = null;
        var first = Matrix<float>.Reuse(ref buf, 8, 4);
        var second = Matrix<float>.Reuse(ref buf, 3, 4);
        Assert.Same(first, second);
        Assert.Equal(3, second.Rows);
        Assert.Equal(12, second.AsSpan().Length);
    }
}
