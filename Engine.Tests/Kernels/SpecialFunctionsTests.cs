namespace Engine.Tests.Kernels;

/// <summary>
/// erf, erfc, Φ and φ against Python's math.erf, math.erfc and math.exp (the C library's, correctly rounded or
/// within an ulp), on both sides of the series/continued-fraction switch at 2.5, near 6 where erf rounds to 1, and
/// deep in the tail where only erfc keeps digits.
/// </summary>
public class SpecialFunctionsTests
{
    [Theory]
    [InlineData(1e-3, 0.0011283787909692365, 0.9988716212090307)]
    [InlineData(0.3, 0.3286267594591274, 0.6713732405408726)]
    [InlineData(1.0, 0.8427007929497149, 0.15729920705028513)]
    [InlineData(2.49, 0.9995707121322661, 0.000429287867733913)]
    [InlineData(2.5, 0.999593047982555, 0.0004069520174449589)]
    [InlineData(2.51, 0.9996142945182758, 0.0003857054817242798)]
    [InlineData(3.5, 0.9999992569016276, 7.430983723414128e-07)]
    [InlineData(4.5, 0.9999999998033839, 1.9661604415428873e-10)]
    [InlineData(5.9, 0.9999999999999999, 7.190409783550478e-17)]
    [InlineData(6.5, 1.0, 3.8421483271206475e-20)]
    [InlineData(10.0, 1.0, 2.088487583762545e-45)]
    [InlineData(26.0, 1.0, 5.663192408856143e-296)]
    public void ErfAndErfcMatchTheCLibrary(double z, double erf, double erfc)
    {
        Assert.Equal(erf, SpecialFunctions.Erf(z), 1e-15);
        Assert.Equal(-erf, SpecialFunctions.Erf(-z), 1e-15);
        // erfc: absolute 5e-16 below the switch (1 − erf there), relative z²·ε (the error of e^(−z²)) above it
        double tolerance = z < 2.5 ? Math.Max(5e-16, 1e-14 * erfc) : erfc * (1e-15 + 4e-16 * z * z);
        Assert.True(Math.Abs(SpecialFunctions.Erfc(z) - erfc) <= tolerance, $"erfc({z}) = {SpecialFunctions.Erfc(z):R}, expected {erfc:R}");
        Assert.Equal(2 - erfc, SpecialFunctions.Erfc(-z), 1e-15);
    }

    [Fact]
    public void EdgesAndSpecialValues()
    {
        Assert.Equal(0.0, SpecialFunctions.Erf(0.0));
        Assert.Equal(1.0, SpecialFunctions.Erfc(0.0));
        Assert.Equal(1.0, SpecialFunctions.Erf(6.0));
        Assert.Equal(-1.0, SpecialFunctions.Erf(-6.0));
        Assert.Equal(0.0, SpecialFunctions.Erfc(27.5));
        Assert.Equal(2.0, SpecialFunctions.Erfc(-27.5));
        Assert.Equal(0.0, SpecialFunctions.Erfc(double.PositiveInfinity));
        Assert.Equal(2.0, SpecialFunctions.Erfc(double.NegativeInfinity));
        Assert.True(double.IsNaN(SpecialFunctions.Erfc(double.NaN)));
        Assert.True(double.IsNaN(SpecialFunctions.Erf(double.NaN)));
    }

    [Theory]
    [InlineData(-3.0, 0.0013498980316300957, 0.0044318484119380075)]
    [InlineData(-1.0, 0.15865525393145707, 0.24197072451914337)]
    [InlineData(0.0, 0.5, 0.3989422804014327)]
    [InlineData(0.5, 0.6914624612740131, 0.3520653267642995)]
    [InlineData(2.0, 0.9772498680518208, 0.05399096651318806)]
    [InlineData(5.0, 0.9999997133484281, 1.4867195147342979e-06)]
    public void NormalCdfAndPdfMatchTheirDefinitions(double x, double cdf, double pdf)
    {
        // Φ(x) = ½·erfc(−x/√2) and φ(x) = e^(−x²/2)/√(2π), from Python
        Assert.Equal(cdf, SpecialFunctions.NormalCdf(x), 1e-15);
        Assert.True(Math.Abs(SpecialFunctions.NormalPdf(x) - pdf) <= 1e-15 * pdf, $"φ({x}) = {SpecialFunctions.NormalPdf(x):R}, expected {pdf:R}");
    }
}
