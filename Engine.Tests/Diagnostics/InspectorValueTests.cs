namespace Engine.Tests.Diagnostics;

/// <summary>The inspector's weight and weight-gradient statistics against hand values.</summary>
public class InspectorValueTests
{
    [Fact]
    public void WeightAndWeightGradientStatisticsByHand()
    {
        // W = [[1, 2], [3, 4]], b = 0; x = I (2 rows); MSE against 0: y = x·Wᵀ = [[1, 3], [2, 4]], dL/dy = 2y/4
        // = [[0.5, 1.5], [1, 2]]; dW = dYᵀ·x = [[0.5, 1], [1.5, 2]].
        // std(1, 2, 3, 4) = √1.25; std(0.5, 1, 1.5, 2) = √0.3125 (population).
        var dense = new Dense<float>(2, 2);
        new float[] { 1, 2, 3, 4 }.CopyTo(dense.Weight.Value.AsSpan());
        var model = new Sequential<float>(dense, new Identity<float>());
        var x = new Matrix<float>(2, 2, [1, 0, 0, 1]);
        var reports = Inspector.Inspect(model, x, new MeanSquaredError<float>(), new Matrix<float>(2, 2));
        Assert.Equal(Math.Sqrt(1.25), reports[0].WeightStd!.Value, 6);
        Assert.Equal(Math.Sqrt(0.3125), reports[0].WeightGradStd!.Value, 6);
        Assert.Equal(2.5, reports[0].OutputMean, 6);
        Assert.Null(reports[1].WeightStd);
    }
}
