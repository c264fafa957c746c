namespace Engine.Tests.Tensors;

/// <summary>
/// Rng against an independent implementation of the published algorithms (xoshiro256** and SplitMix64 from Vigna's
/// reference C code, Lemire's bounded integers, Marsaglia's polar method, Fisher–Yates), written in Python with
/// arbitrary-precision integers; the expected values below are its output. Where a branch is taken with
/// probability ~2⁻⁶⁴ (a rejected integer draw, a polar pair on the circle or at its centre), the state is set so
/// that the generator's next outputs are chosen values: the first output is rotl(s1·5, 7)·9, so s1 fixes it, and s2
/// fixes the second.
/// </summary>
public class RngReferenceTests
{
    [Fact]
    public void SeedingIsFourSplitMix64Outputs()
    {
        // SplitMix64 from 0 starts 0xE220A8397B1DCDAF, the value Vigna's splitmix64.c prints.
        var state = new Rng(0).GetState();
        Assert.Equal(new RngState(0xE220A8397B1DCDAFUL, 0x6E789E6AA1B965F4UL, 0x06C45D188009454FUL, 0xF88BB8A8724C81ECUL, 0, false), state);
    }

    [Theory]
    [InlineData(0UL, new[] { 0x99EC5F36CB75F2B4UL, 0xBF6E1F784956452AUL, 0x1A5F849D4933E6E0UL, 0x6AA594F1262D2D2CUL })]
    [InlineData(0xDEADBEEFUL, new[] { 0xC5555444A74D7E83UL, 0x65C30D37B4B16E38UL, 0x54F773200A4EFA23UL, 0x429AED75FB958AF7UL })]
    public void OutputsAreXoshiro256StarStar(ulong seed, ulong[] expected)
    {
        var rng = new Rng(seed);
        Assert.Equal(expected, expected.Select(_ => rng.NextUInt64()).ToArray());
    }

    [Fact]
    public void NextDoubleAndNextUniformAreTheTop53Bits()
    {
        var rng = new Rng(7);
        Assert.Equal(new[] { 0.7005764821796896, 0.2787512294737843, 0.8396274618764198, 0.9810977250149351 },
            Enumerable.Range(0, 4).Select(_ => rng.NextDouble()).ToArray());
        rng = new Rng(7);
        Assert.Equal(new[] { 2.6046118574375168, -0.7699901642097258, 3.7170196950113583, 4.848781800119481 },
            Enumerable.Range(0, 4).Select(_ => rng.NextUniform(-3, 5)).ToArray());
        // an output of all ones is the largest double below 1
        rng.SetState(new RngState(1, 0x4FC71C71C71C71C7UL, 0x1234, 1, 0, false));
        Assert.Equal(1 - Math.Pow(2, -53), rng.NextDouble());
    }

    [Fact]
    public void NextIntIsLemiresMultiplyAndShift()
    {
        var rng = new Rng(11);
        Assert.Equal(new[] { 1, 0, 1, 3, 0, 2, 3, 6, 4, 1, 0, 2 }, Enumerable.Range(0, 12).Select(_ => rng.NextInt(7)).ToArray());
        rng = new Rng(11);
        Assert.Equal(new[] { 479477728, 187334447, 526693395, 952999510 }, Enumerable.Range(0, 4).Select(_ => rng.NextInt(int.MaxValue)).ToArray());
        Assert.Equal(0, rng.NextInt(1));
        Assert.Throws<ArgumentOutOfRangeException>(() => rng.NextInt(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => rng.NextInt(-3));
    }

    [Fact]
    public void NextIntRejectsExactlyTheBiasedLowProducts()
    {
        // For n = 3 a draw x is rejected when (x·3 mod 2⁶⁴) < 2⁶⁴ mod 3 = 1, i.e. only x = 0.
        // Outputs 0 then 2⁶⁴ − 1: the 0 is rejected and the next draw gives ⌊(2⁶⁴ − 1)·3 / 2⁶⁴⌋ = 2.
        var rng = new Rng(1);
        rng.SetState(new RngState(1, 0, 0x4FC71C71C71C71C6UL, 1, 0, false));
        Assert.Equal(2, rng.NextInt(3));
        // Outputs 3⁻¹ mod 2⁶⁴ (x·3 mod 2⁶⁴ = 1: the least product kept, giving ⌊x·3 / 2⁶⁴⌋ = 2), then 2⁶³ (giving 1).
        rng.SetState(new RngState(1, 0x07CEB240795CEB24UL, 0xCACEB240795CEB25UL, 1, 0, false));
        Assert.Equal(2, rng.NextInt(3));
        Assert.Equal(1, rng.NextInt(3));
    }

    [Fact]
    public void NextNormalIsThePolarMethodWithItsSpare()
    {
        var rng = new Rng(13);
        double[] expected = [-0.6968519482447098, 0.7647164844353714, 1.962892907669316, -0.7667379949336999, -1.0558483071199332];
        foreach (double e in expected)
            Assert.Equal(e, rng.NextNormal(), 1e-15);
        rng = new Rng(13);
        Assert.Equal(1 + 2 * expected[0], rng.NextNormal(1, 2), 1e-15);
        Assert.True(rng.GetState().HasSpare);
        Assert.Equal(expected[1], rng.GetState().SpareNormal, 1e-15);
        Assert.Equal(expected[1], rng.NextNormal(), 1e-15);
        Assert.False(rng.GetState().HasSpare);
    }

    [Theory]
    // outputs 2⁶³, 2⁶³: u = v = 0, s = 0 (the centre, where the transform is 0/0)
    [InlineData(0xCD00000000000000UL, 1UL, 1.1417382719216678, 0.6354667562301602)]
    // outputs 0, 2⁶³: u = −1, v = 0, s = 1 (on the circle, outside the open disc)
    [InlineData(0UL, 0xCD00000000000001UL, 2.401315630613834, 2.4013176673409258)]
    public void NextNormalRedrawsAPairAtTheCentreOrOnTheCircle(ulong s1, ulong s2, double first, double second)
    {
        var rng = new Rng(1);
        rng.SetState(new RngState(1, s1, s2, 1, 0, false));
        Assert.Equal(first, rng.NextNormal(), 1e-15);
        Assert.Equal(second, rng.NextNormal(), 1e-15);
    }

    [Fact]
    public void ShuffleIsFisherYatesFromTheLastItem()
    {
        var rng = new Rng(17);
        int[] items = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
        rng.Shuffle<int>(items);
        Assert.Equal(new[] { 0, 1, 2, 5, 4, 3, 8, 7, 9, 6 }, items);
        int[] one = [42];
        var before = rng.GetState();
        rng.Shuffle<int>(one);
        Assert.Equal(before, rng.GetState()); // nothing to swap, nothing drawn
    }

    [Fact]
    public void ReseedStartsOverAndDropsTheSpareNormal()
    {
        var rng = new Rng(3);
        rng.NextNormal(); // leaves a spare
        rng.Reseed(5);
        Assert.Equal(new Rng(5).GetState(), rng.GetState());
        Assert.Equal(new Rng(5).NextNormal(), rng.NextNormal());
    }

    [Theory]
    [InlineData(1UL, 0UL, 0UL, 0UL)]
    [InlineData(0UL, 1UL, 0UL, 0UL)]
    [InlineData(0UL, 0UL, 1UL, 0UL)]
    [InlineData(0UL, 0UL, 0UL, 1UL)]
    public void AnyNonZeroWordMakesAValidState(ulong s0, ulong s1, ulong s2, ulong s3)
    {
        var rng = new Rng(1);
        var state = new RngState(s0, s1, s2, s3, 0.5, true);
        rng.SetState(state);
        Assert.Equal(state, rng.GetState());
        Assert.Equal(0.5, rng.NextNormal()); // the spare comes first
    }

    [Fact]
    public void AnAllZeroStateIsRefused()
    {
        var rng = new Rng(1);
        var before = rng.GetState();
        var ex = Assert.Throws<ArgumentException>(() => rng.SetState(new RngState(0, 0, 0, 0, 0, false)));
        Assert.Equal("state", ex.ParamName);
        Assert.Contains("all-zero", ex.Message, StringComparison.Ordinal);
        Assert.Equal(before, rng.GetState());
    }
}
