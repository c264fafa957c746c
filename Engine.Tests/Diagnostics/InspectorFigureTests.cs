namespace Engine.Tests.Diagnostics;

/// <summary>
/// The inspector's saturation and dead-unit figures on inputs whose answer is known by hand, that its gradient figures
/// start from cleared gradients, and its and the statistics' edge cases and refusals.
/// </summary>
public class InspectorFigureTests
{
    [Fact]
    public void SaturationIsTheShareOfOutputsBeyondTheLevelForTanhAndSigmoid()
    {
        // tanh: 0, ±0.995, 0.76 → two of four beyond 0.97; sigmoid: 2σ − 1 = 0, ±0.987, 0.46 → two of four
        var tanh = Inspector.Inspect(new Sequential<float>(new Tanh<float>(), new Identity<float>()), new Matrix<float>(2, 2, [0, 3, -3, 1]));
        Assert.Equal(0.5, tanh[0].SaturatedFraction);
        Assert.Null(tanh[1].SaturatedFraction);
        var sigmoid = Inspector.Inspect(new Sequential<float>(new Sigmoid<float>()), new Matrix<float>(2, 2, [0, 5, -5, 1]));
        Assert.Equal(0.5, sigmoid[0].SaturatedFraction);
        Assert.Null(sigmoid[0].DeadFraction);
        // sigmoid outputs 0.99 and 0.01 are ±0.98 centred (saturated), 0.5 is 0; a tanh output of 0.98 is saturated, 0.96 is not
        Assert.Equal(2.0 / 3, Statistics.SaturatedFraction([0.99f, 0.5f, 0.01f], sigmoid: true, 0.97), 12);
        Assert.Equal(1.0 / 3, Statistics.SaturatedFraction([0.98f, 0.96f, -0.5f], sigmoid: false, 0.97), 12);
        Assert.Equal(0, Statistics.SaturatedFraction([], sigmoid: false, 0.97));
    }

    [Fact]
    public void AFirstLayerRectifierCountsDeadUnitsOnTheBatch()
    {
        // column 0 is never positive, column 1 is once
        var reports = Inspector.Inspect(new Sequential<float>(new ReLU<float>()), new Matrix<float>(3, 2, [-1, -2, 0, 3, -4, -1]));
        Assert.Equal(0.5, reports[0].DeadFraction);
        Assert.Equal(0, Statistics.DeadFraction(new Matrix<float>(0, 3)));
        Assert.Equal(0, Statistics.DeadFraction(new Matrix<float>(2, 0)));
        Assert.Throws<ArgumentNullException>(() => Statistics.DeadFraction(null!));
        Assert.Equal((0.0, 0.0), Statistics.MeanStd([]));
    }

    [Fact]
    public void GradientFiguresStartFromClearedGradients()
    {
        // the same inspection twice gives the same weight-gradient std: the gradients are cleared first, not accumulated
        var model = Mlp.Create(3, [4], 2, seed: 1);
        var x = Samples.StandardNormal(6, 3, seed: 2);
        var t = new Matrix<float>(6, 1, [0, 1, 0, 1, 1, 0]);
        double first = Inspector.Inspect(model, x, new SoftmaxCrossEntropy<float>(), t)[0].WeightGradStd!.Value;
        double second = Inspector.Inspect(model, x, new SoftmaxCrossEntropy<float>(), t)[0].WeightGradStd!.Value;
        Assert.True(first > 0);
        Assert.Equal(first, second);
        var without = Inspector.Inspect(model, x);
        Assert.NotNull(without[0].WeightStd);
        Assert.Null(without[0].WeightGradStd);
        Assert.Null(without[0].GradOutputStd);
    }

    [Fact]
    public void ALossWithoutTargetsOrTheOtherWayRoundIsRefused()
    {
        var model = Mlp.Create(3, [4], 2, seed: 1);
        var x = Samples.StandardNormal(6, 3, seed: 2);
        Assert.StartsWith("Give both a loss and targets", Assert.Throws<ArgumentException>(() => Inspector.Inspect(model, x, new SoftmaxCrossEntropy<float>())).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => Inspector.Inspect(model, x, targets: new Matrix<float>(6, 1)));
        Assert.Equal("model", Assert.Throws<ArgumentNullException>(() => Inspector.Inspect(null!, x)).ParamName);
        Assert.Equal("batch", Assert.Throws<ArgumentNullException>(() => Inspector.Inspect(model, null!)).ParamName);
    }
}
