namespace Engine.Tests.Tensors;

public class RngTests
{
    [Fact]
    public void SameSeedGivesSameSequence()
    {
        var a = new Rng(42);
        var b = new Rng(42);
        for (int i = 0; i < 1000; i++)
            Assert.Equal(a.NextUInt64(), b.NextUInt64());
    }

    [Fact]
    public void StateRoundTripContinuesTheSequence()
    {
        var a = new Rng(7);
        a.NextNormal();
        var state = a.GetState();
        double expected = a.NextNormal(), expected2 = a.NextNormal();
        var b = new Rng(1);
        b.SetState(state);
        Assert.Equal(expected, b.NextNormal());
        Assert.Equal(expected2, b.NextNormal());
    }

    [Fact]
    public void NormalHasUnitMomentsAndUniformIsInRange()
    {
        var rng = new Rng(3);
        const int n = 200_000;
        double sum = 0, sumSq = 0;
        for (int i = 0; i < n; i++)
        {
            double x = rng.NextNormal();
            sum += x;
            sumSq += x * x;
            double u = rng.NextDouble();
            Assert.True(u >= 0.0 && u < 1.0, $"NextDouble gave {u:R}, outside [0, 1)"); // 1.0 - 1e-17 would round to 1.0
        }
        double mean = sum / n, variance = sumSq / n - mean * mean;
        // Standard errors: mean 1/√n ≈ 0.0022, variance √(2/n) ≈ 0.0032; allow 5σ.
        Assert.InRange(mean, -0.011, 0.011);
        Assert.InRange(variance, 0.984, 1.016);
    }

    [Fact]
    public void NextIntCoversRangeUniformly()
    {
        var rng = new Rng(5);
        var counts = new int[7];
        for (int i = 0; i < 70_000; i++)
            counts[rng.NextInt(7)]++;
        foreach (int c in counts)
            Assert.InRange(c, 9_500, 10_500);
    }
}
