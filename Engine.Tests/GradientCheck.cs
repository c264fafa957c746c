namespace Engine.Tests;

/// <summary>
/// Central finite differences in double precision: ∂f/∂θ ≈ (f(θ+h) − f(θ−h)) / 2h, truncation error O(h²).
/// With h = 1e-5 and f of order 1, rounding error is about 1e-16/1e-5 = 1e-11, so analytic and numeric
/// gradients of a correct layer agree to ~1e-8 relative; a wrong formula is off by O(1).
/// </summary>
internal static class GradientCheck
{
    public const double H = 1e-5;
    public const double Tolerance = 1e-6;

    public static Matrix<double> Random(Rng rng, int rows, int cols, double scale = 1, double avoidZero = 0)
    {
        var m = new Matrix<double>(rows, cols);
        var s = m.AsSpan();
        for (int i = 0; i < s.Length; i++)
        {
            double v = rng.NextNormal() * scale;
            // keep away from the kinks of the ReLU family, where the derivative is undefined
            if (Math.Abs(v) < avoidZero)
                v = v < 0 ? v - avoidZero : v + avoidZero;
            s[i] = v;
        }
        return m;
    }

    /// <summary>Numeric derivative of <paramref name="f"/> with respect to every element of <paramref name="values"/>.</summary>
    public static double[] Numeric(Func<double> f, Span<double> values)
    {
        var result = new double[values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            double saved = values[i];
            values[i] = saved + H;
            double plus = f();
            values[i] = saved - H;
            double minus = f();
            values[i] = saved;
            result[i] = (plus - minus) / (2 * H);
        }
        return result;
    }

    public static void AssertClose(ReadOnlySpan<double> expected, ReadOnlySpan<double> actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            double scale = Math.Max(1, Math.Max(Math.Abs(expected[i]), Math.Abs(actual[i])));
            double err = Math.Abs(expected[i] - actual[i]) / scale;
            Assert.True(err < Tolerance, $"{what}[{i}]: numeric {expected[i]:R}, analytic {actual[i]:R}, relative error {err:E2}");
        }
    }

    /// <summary>
    /// Checks a layer: f(x, θ) = Σ r ⊙ layer(x) for a fixed random r, so df/d(output) = r.
    /// Compares Backward's input gradient (unless <paramref name="inputGrad"/> is false: a first layer, whose
    /// input has no gradient) and every parameter gradient with finite differences.
    /// </summary>
    public static void CheckLayer(Layer<double> layer, Matrix<double> input, Rng rng, bool inputGrad = true)
    {
        var output = layer.Forward(input);
        var r = Random(rng, output.Rows, output.Cols);
        double F()
        {
            var y = layer.Forward(input);
            double sum = 0;
            for (int i = 0; i < y.Length; i++)
                sum += y.AsSpan()[i] * r.AsSpan()[i];
            return sum;
        }

        foreach (var p in layer.Parameters)
            p.ZeroGrad();
        layer.Forward(input);
        var dx = layer.Backward(r, inputGrad)?.AsSpan().ToArray();
        var paramGrads = layer.Parameters.Select(p => p.Grad.AsSpan().ToArray()).ToList();

        if (inputGrad)
            AssertClose(Numeric(F, input.AsSpan()), dx, $"{layer.Name} dInput");
        for (int k = 0; k < layer.Parameters.Count; k++)
        {
            var p = layer.Parameters[k];
            AssertClose(Numeric(F, p.Value.AsSpan()), paramGrads[k], $"{layer.Name} d{p.Name}");
        }
    }
}
