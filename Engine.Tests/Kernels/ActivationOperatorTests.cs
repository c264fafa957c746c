using System.Numerics;

namespace Engine.Tests.Kernels;

/// <summary>
/// Each fused activation operator through <see cref="Elementwise"/> against its formula written out in double, in
/// float and in double, at lengths where the Vector512 loop, the Vector256 loop and the scalar tail each see negative,
/// zero and positive inputs (float: 16 + 8 + 3 elements, double: 8 + 4 + 3, then longer runs).
/// </summary>
public class ActivationOperatorTests
{
    // x cycles through −1.5, −0.75, 0, 0.75, 1.5 in an order that puts all signs in every segment.
    private static double X(int i) => ((i * 7 % 5) - 2) * 0.75;

    // a second operand, never zero and of both signs, unrelated to x
    private static double Y(int i) => 0.3 + 0.45 * ((i * 3 % 7) - 3);

    // a third operand in (0, 1), like a sigmoid output
    private static double Z(int i) => 0.05 + 0.9 * (i * 5 % 11) / 10.0;

    public static TheoryData<int> FloatLengths => [27, 32 + 8 + 5, 3];

    public static TheoryData<int> DoubleLengths => [15, 8 + 4 + 3 + 8, 3];

    private static void CheckBinary<T, TOp>(int n, TOp op, Func<double, double, double> f, double tolerance)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TOp : struct, IBinaryOperator<T>
    {
        var x = new T[n];
        var y = new T[n];
        for (int i = 0; i < n; i++)
        {
            x[i] = T.CreateChecked(X(i));
            y[i] = T.CreateChecked(Y(i));
        }
        var dst = new T[n];
        Elementwise.Apply<T, TOp>(x, y, dst, op);
        for (int i = 0; i < n; i++)
        {
            double expected = f(double.CreateChecked(x[i]), double.CreateChecked(y[i]));
            Assert.True(Math.Abs(double.CreateChecked(dst[i]) - expected) <= tolerance * Math.Max(1, Math.Abs(expected)),
                $"{typeof(TOp).Name}[{i}] of {n}: f({x[i]}, {y[i]}) = {dst[i]}, expected {expected}");
        }
    }

    private static void CheckTernary<T, TOp>(int n, TOp op, Func<double, double, double, double> f, double tolerance)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TOp : struct, ITernaryOperator<T>
    {
        var x = new T[n];
        var y = new T[n];
        var z = new T[n];
        for (int i = 0; i < n; i++)
        {
            x[i] = T.CreateChecked(X(i));
            y[i] = T.CreateChecked(Y(i));
            z[i] = T.CreateChecked(Z(i));
        }
        var dst = new T[n];
        Elementwise.Apply<T, TOp>(x, y, z, dst, op);
        for (int i = 0; i < n; i++)
        {
            double expected = f(double.CreateChecked(x[i]), double.CreateChecked(y[i]), double.CreateChecked(z[i]));
            Assert.True(Math.Abs(double.CreateChecked(dst[i]) - expected) <= tolerance * Math.Max(1, Math.Abs(expected)),
                $"{typeof(TOp).Name}[{i}] of {n}: f({x[i]}, {y[i]}, {z[i]}) = {dst[i]}, expected {expected}");
        }
    }

    private const double Slope = 0.2, Scale = 1.5, ScaledAlpha = 0.7;

    // The formulas, with the branch on x > 0 (or y > 0) as the operators document it.
    private static double ReluBack(double y, double dy) => y > 0 ? dy : 0;
    private static double LeakyForward(double x, double _) => x > 0 ? x : Slope * x;
    private static double LeakyBack(double x, double dy) => x > 0 ? dy : Slope * dy;
    private static double PReluForward(double x, double a) => x > 0 ? x : a * x;
    private static double PReluSlope(double x, double dy) => x > 0 ? 0 : x * dy;
    private static double SigmoidBack(double y, double dy) => dy * y * (1 - y);
    private static double TanhBack(double y, double dy) => dy * (1 - y * y);
    private static double ExpLinForward(double x, double m) => x > 0 ? Scale * x : ScaledAlpha * m;
    private static double ExpLinBack(double y, double dy) => y > 0 ? Scale * dy : (y + ScaledAlpha) * dy;
    private static double PReluBack(double x, double dy, double a) => x > 0 ? dy : a * dy;
    private static double SiluBack(double x, double s, double dy) => dy * s * (1 + x * (1 - s));

    [Theory]
    [MemberData(nameof(FloatLengths))]
    public void FloatOperatorsComputeTheirFormulas(int n)
    {
        const double tol = 1e-6;
        CheckBinary<float, ReluBackward<float>>(n, new(), ReluBack, tol);
        CheckBinary<float, LeakyReluForward<float>>(n, new((float)Slope), LeakyForward, tol);
        CheckBinary<float, LeakyReluBackward<float>>(n, new((float)Slope), LeakyBack, tol);
        CheckBinary<float, PReluForward<float>>(n, new(), PReluForward, tol);
        CheckBinary<float, PReluSlopeGradient<float>>(n, new(), PReluSlope, tol);
        CheckBinary<float, SigmoidBackward<float>>(n, new(), SigmoidBack, tol);
        CheckBinary<float, TanhBackward<float>>(n, new(), TanhBack, tol);
        CheckBinary<float, ExpLinearForward<float>>(n, new((float)Scale, (float)ScaledAlpha), ExpLinForward, tol);
        CheckBinary<float, ExpLinearBackward<float>>(n, new((float)Scale, (float)ScaledAlpha), ExpLinBack, tol);
        CheckTernary<float, PReluBackward<float>>(n, new(), PReluBack, tol);
        CheckTernary<float, SiluBackward<float>>(n, new(), SiluBack, tol);
    }

    [Theory]
    [MemberData(nameof(DoubleLengths))]
    public void DoubleOperatorsComputeTheirFormulas(int n)
    {
        const double tol = 1e-15;
        CheckBinary<double, ReluBackward<double>>(n, new(), ReluBack, tol);
        CheckBinary<double, LeakyReluForward<double>>(n, new(Slope), LeakyForward, tol);
        CheckBinary<double, LeakyReluBackward<double>>(n, new(Slope), LeakyBack, tol);
        CheckBinary<double, PReluForward<double>>(n, new(), PReluForward, tol);
        CheckBinary<double, PReluSlopeGradient<double>>(n, new(), PReluSlope, tol);
        CheckBinary<double, SigmoidBackward<double>>(n, new(), SigmoidBack, tol);
        CheckBinary<double, TanhBackward<double>>(n, new(), TanhBack, tol);
        CheckBinary<double, ExpLinearForward<double>>(n, new(Scale, ScaledAlpha), ExpLinForward, tol);
        CheckBinary<double, ExpLinearBackward<double>>(n, new(Scale, ScaledAlpha), ExpLinBack, tol);
        CheckTernary<double, PReluBackward<double>>(n, new(), PReluBack, tol);
        CheckTernary<double, SiluBackward<double>>(n, new(), SiluBack, tol);
    }

    [Fact]
    public void OperandsOfOtherLengthsAreRefused()
    {
        var ok = new float[4];
        var ex = Assert.Throws<ArgumentException>(() => Elementwise.Apply<float, ReluBackward<float>>(ok, new float[3], new float[4], new()));
        Assert.Contains("got 4, 3, 4 for a destination of 4", ex.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => Elementwise.Apply<float, ReluBackward<float>>(new float[5], ok, ok, new()));
        Assert.Throws<ArgumentException>(() => Elementwise.Apply<float, SiluBackward<float>>(ok, ok, new float[3], ok, new()));
        Assert.Throws<ArgumentException>(() => Elementwise.Apply<float, SiluBackward<float>>(ok, new float[5], ok, ok, new()));
        Assert.Throws<ArgumentException>(() => Elementwise.Apply<float, SiluBackward<float>>(new float[3], ok, ok, ok, new()));
    }
}
