namespace Engine.Tests.Layers;

/// <summary>
/// OneHotDense at its edges: argument errors by parameter, sizes that overflow, a Backward after a Forward that
/// failed, accumulation in the numeric-only layout, and a steady state in which every level of every column is seen.
/// </summary>
public class OneHotDenseEdgeTests
{
    [Fact]
    public void ArgumentErrorsNameTheParameter()
    {
        Assert.Throws<ArgumentNullException>(() => new OneHotDense<float>(1, null!, 3));
        Assert.Throws<ArgumentNullException>(() => new OneHotDense<float>(1, [2], 3).Forward(null!));
        var noColumns = Assert.Throws<ArgumentOutOfRangeException>(() => new OneHotDense<float>(0, [], 3));
        Assert.Equal("numericFeatures", noColumns.ParamName);
        Assert.Contains("at least one numeric or categorical column", noColumns.Message, StringComparison.Ordinal);
        var noLevels = Assert.Throws<ArgumentOutOfRangeException>(() => new OneHotDense<float>(1, [2, 0], 3));
        Assert.Equal("levelCounts", noLevels.ParamName);
        Assert.Contains("Categorical column 1 has 0 levels", noLevels.Message, StringComparison.Ordinal);

        Assert.Throws<ArgumentNullException>(() => OneHotDense<float>.From(null!, 1, [2]));
        Assert.Throws<ArgumentNullException>(() => OneHotDense<float>.From(new Dense<float>(3, 2), 1, null!));
        var wrong = Assert.Throws<ArgumentException>(() => OneHotDense<float>.From(new Dense<float>(5, 3), 1, [2, 3]));
        Assert.Equal("dense", wrong.ParamName);
        Assert.Contains("Dense(5 → 3) takes 5 features but 1 numeric columns and levels [2, 3] make 6 one-hot columns.", wrong.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WidthsThatOverflowAnIntAreRefused()
    {
        Assert.Throws<OverflowException>(() => new OneHotDense<float>(0, [int.MaxValue, 1], 2));
        Assert.Throws<OverflowException>(() => new OneHotDense<float>(1, [int.MaxValue], 2));
    }

    [Fact]
    public void ABadCodeNamesTheInputAndLeavesNoForwardForBackward()
    {
        var layer = new OneHotDense<float>(1, [3], 2);
        layer.Forward(new Matrix<float>(1, 2, [0.5f, 2]));
        var ex = Assert.Throws<ArgumentException>(() => layer.Forward(new Matrix<float>(1, 2, [0.5f, 3])));
        Assert.Equal("input", ex.ParamName);
        // the failed Forward replaced the cached batch: Backward must not run on the earlier one
        var backward = Assert.Throws<InvalidOperationException>(() => layer.Backward(new Matrix<float>(1, 2), computeInputGrad: false));
        Assert.Equal("OneHotDense.Backward was called before Forward.", backward.Message);
    }

    [Fact]
    public void NumericOnlyGradientsAccumulate()
    {
        // no categorical columns: dW = dYᵀ·X and db = Σ dY, added to what is there
        var layer = new OneHotDense<double>(2, [], 2);
        var x = new Matrix<double>(2, 2, [1, 2, 3, 4]);
        var dy = new Matrix<double>(2, 2, [1, 0, -1, 2]);
        layer.Forward(x);
        layer.Backward(dy, computeInputGrad: false);
        Assert.Equal([-2.0, -2.0, 6.0, 8.0], layer.Weight.Grad.AsSpan().ToArray());
        Assert.Equal([0.0, 2.0], layer.Bias.Grad.AsSpan().ToArray());
        layer.Backward(dy, computeInputGrad: false);
        Assert.Equal([-4.0, -4.0, 12.0, 16.0], layer.Weight.Grad.AsSpan().ToArray());
        Assert.Equal([0.0, 4.0], layer.Bias.Grad.AsSpan().ToArray());
    }

    [Fact]
    public void AStepAllocatesNothingWhenEveryLevelIsPresent()
    {
        // every level of both columns in each batch: as many slots as block columns
        var layer = new OneHotDense<float>(1, [2, 2], 3);
        layer.ResetParameters(new Rng(1));
        var x = new Matrix<float>(4, 3, [0.1f, 0, 1, 0.2f, 1, 0, 0.3f, 0, 0, 0.4f, 1, 1]);
        var dy = new Matrix<float>(4, 3);
        layer.Forward(x);
        layer.Backward(dy, computeInputGrad: false);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 3; i++)
        {
            layer.Forward(x);
            layer.Backward(dy, computeInputGrad: false);
        }
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
