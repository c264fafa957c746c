namespace Engine.Tests.Optimizers;

/// <summary>
/// Adam, AdamW and SGD over several steps with changing gradients, against a scalar reference written from the
/// papers' (and torch.optim's) update rules in double, element by element. One step cannot tell a wrong moment
/// update or bias correction from a right one (after one step m̂ = g and v̂ = g² whatever the β's), so each
/// run is five steps long; a weight (decayed) and a bias (opted out of decay) show that decay skips the bias.
/// </summary>
public class AdamReferenceTests
{
    // Gradients of steps 1..5 for a 2×2 weight and a 2-element bias: signs and sizes change from step to step.
    private static readonly double[][] WeightGrads =
    [
        [0.5, -1.0, 2.0, 0.0], [0.3, 0.2, -1.5, 0.1], [-0.4, 1.1, 0.7, -0.2], [1.0, -0.3, 0.0, 0.05], [0.2, 0.2, -0.9, 3.0],
    ];

    private static readonly double[][] BiasGrads = [[1.0, -2.0], [-0.5, 0.25], [0.3, 0.3], [2.0, -1.0], [-0.1, 0.6]];

    private static readonly double[] W0 = [0.8, -0.6, 0.1, 1.2];
    private static readonly double[] B0 = [0.5, -0.25];

    private static (Parameter<double> W, Parameter<double> B) Parameters()
    {
        var w = new Parameter<double>("weight", 2, 2, weightDecay: true);
        var b = new Parameter<double>("bias", 2, weightDecay: false);
        W0.CopyTo(w.Value.AsSpan());
        B0.CopyTo(b.Value.AsSpan());
        return (w, b);
    }

    private static void Run(Optimizer<double> optimizer, Parameter<double> w, Parameter<double> b, Action<int>? beforeStep = null)
    {
        for (int t = 0; t < WeightGrads.Length; t++)
        {
            optimizer.ZeroGrad();
            WeightGrads[t].CopyTo(w.Grad.AsSpan());
            BiasGrads[t].CopyTo(b.Grad.AsSpan());
            beforeStep?.Invoke(t);
            optimizer.Step();
        }
    }

    /// <summary>torch.optim.Adam / AdamW for one scalar, step by step; returns the values after each step.</summary>
    private static double[] AdamScalar(double w, double[] grads, double lr, double b1, double b2, double eps, double wd, bool decoupled, double[]? lrs = null)
    {
        double m = 0, v = 0;
        var after = new double[grads.Length];
        for (int t = 1; t <= grads.Length; t++)
        {
            double rate = lrs?[t - 1] ?? lr;
            double g = grads[t - 1];
            if (decoupled)
                w -= rate * wd * w;
            else
                g += wd * w;
            m = b1 * m + (1 - b1) * g;
            v = b2 * v + (1 - b2) * g * g;
            double mHat = m / (1 - Math.Pow(b1, t));
            double vHat = v / (1 - Math.Pow(b2, t));
            w -= rate * mHat / (Math.Sqrt(vHat) + eps);
            after[t - 1] = w;
        }
        return after;
    }

    private static double[] Column(double[][] grads, int index) => [.. grads.Select(g => g[index])];

    private static void AssertClose(double expected, double actual, string what) =>
        Assert.True(Math.Abs(expected - actual) <= 1e-12 * Math.Max(1, Math.Abs(expected)), $"{what}: expected {expected:R}, got {actual:R}");

    [Theory]
    [InlineData(false, 0.0)]
    [InlineData(false, 0.1)]
    [InlineData(true, 0.1)]
    [InlineData(true, 0.0)]
    public void FiveStepsMatchTheReference(bool decoupled, double weightDecay)
    {
        const double lr = 0.05, b1 = 0.8, b2 = 0.95, eps = 1e-3;
        var (w, b) = Parameters();
        var adam = new Adam<double>([w, b], lr, b1, b2, eps, weightDecay, decoupled);
        Run(adam, w, b);
        for (int i = 0; i < 4; i++)
        {
            double expected = AdamScalar(W0[i], Column(WeightGrads, i), lr, b1, b2, eps, weightDecay, decoupled)[^1];
            AssertClose(expected, w.Value.AsSpan()[i], $"weight[{i}]");
        }
        for (int i = 0; i < 2; i++)
        {
            // the bias opted out of weight decay: plain Adam whatever λ is
            double expected = AdamScalar(B0[i], Column(BiasGrads, i), lr, b1, b2, eps, 0, decoupled)[^1];
            AssertClose(expected, b.Value.AsSpan()[i], $"bias[{i}]");
        }
        Assert.Equal(5, adam.StepCount);
    }

    [Fact]
    public void EveryIntermediateStepMatchesTooAndTheMomentsAreTheReferences()
    {
        const double lr = 0.01;
        var (w, b) = Parameters();
        var adam = new AdamW<double>([w, b], lr, weightDecay: 0.5); // torch's defaults β = (0.9, 0.999), ε = 1e-8
        var expected = AdamScalar(W0[2], Column(WeightGrads, 2), lr, 0.9, 0.999, 1e-8, 0.5, decoupled: true);
        for (int t = 0; t < WeightGrads.Length; t++)
        {
            adam.ZeroGrad();
            WeightGrads[t].CopyTo(w.Grad.AsSpan());
            BiasGrads[t].CopyTo(b.Grad.AsSpan());
            adam.Step();
            AssertClose(expected[t], w.Value.AsSpan()[2], $"weight[2] after step {t + 1}");
        }
        // m and v of weight[2] (biased, as torch stores exp_avg and exp_avg_sq)
        double m = 0, v = 0;
        foreach (double g in Column(WeightGrads, 2))
        {
            m = 0.9 * m + 0.1 * g;
            v = 0.999 * v + 0.001 * g * g;
        }
        var buffers = adam.StateBuffers; // m of each parameter, then v of each
        Assert.Equal(4, buffers.Count);
        AssertClose(m, buffers[0][2], "m");
        AssertClose(v, buffers[2][2], "v");
    }

    [Fact]
    public void ALearningRateChangedBetweenStepsIsUsedAtEachStep()
    {
        double[] rates = [0.1, 0.05, 0.2, 0.0, 0.01];
        var (w, b) = Parameters();
        var adam = new Adam<double>([w, b], rates[0]);
        Run(adam, w, b, t => adam.LearningRate = rates[t]);
        var expected = AdamScalar(W0[0], Column(WeightGrads, 0), 0, 0.9, 0.999, 1e-8, 0, false, rates);
        AssertClose(expected[^1], w.Value.AsSpan()[0], "weight[0]");
    }

    [Fact]
    public void AdamWDefaultsAreTorchs()
    {
        var (w, _) = Parameters();
        var adamw = new AdamW<double>([w]);
        Assert.Equal((0.001, 0.9, 0.999, 1e-8, 0.01, true), (adamw.LearningRate, adamw.Beta1, adamw.Beta2, adamw.Epsilon, adamw.WeightDecay, adamw.Decoupled));
        var adam = new Adam<double>([w]);
        Assert.Equal((0.001, 0.9, 0.999, 1e-8, 0.0, false), (adam.LearningRate, adam.Beta1, adam.Beta2, adam.Epsilon, adam.WeightDecay, adam.Decoupled));
    }

    [Fact]
    public void ALoadedStateContinuesAsIfNeverStopped()
    {
        var (w1, b1) = Parameters();
        var straight = new Adam<double>([w1, b1], 0.05, weightDecay: 0.1);
        Run(straight, w1, b1);

        // three steps, then the buffers, step count and weights into a fresh optimizer for the last two
        var (w2, b2) = Parameters();
        var first = new Adam<double>([w2, b2], 0.05, weightDecay: 0.1);
        for (int t = 0; t < 3; t++)
        {
            WeightGrads[t].CopyTo(w2.Grad.AsSpan());
            BiasGrads[t].CopyTo(b2.Grad.AsSpan());
            first.Step();
        }
        var second = new Adam<double>([w2, b2], 0.7, weightDecay: 0.1);
        second.LoadState([.. first.StateBuffers.Select(s => (double[])s.Clone())], first.StepCount, 0.05);
        for (int t = 3; t < 5; t++)
        {
            WeightGrads[t].CopyTo(w2.Grad.AsSpan());
            BiasGrads[t].CopyTo(b2.Grad.AsSpan());
            second.Step();
        }
        Assert.Equal(w1.Value.AsSpan().ToArray(), w2.Value.AsSpan().ToArray());
        Assert.Equal(b1.Value.AsSpan().ToArray(), b2.Value.AsSpan().ToArray());
    }

    /// <summary>torch.optim.SGD (dampening 0) for one scalar.</summary>
    private static double SgdScalar(double w, double[] grads, double lr, double mu, bool nesterov, double wd)
    {
        double v = 0;
        for (int t = 0; t < grads.Length; t++)
        {
            double g = grads[t] + wd * w;
            if (mu > 0)
            {
                v = t == 0 ? g : mu * v + g;
                g = nesterov ? g + mu * v : v;
            }
            w -= lr * g;
        }
        return w;
    }

    [Theory]
    [InlineData(0.0, false, 0.0)]
    [InlineData(0.0, false, 0.2)]
    [InlineData(0.9, false, 0.0)]
    [InlineData(0.9, false, 0.2)]
    [InlineData(0.7, true, 0.0)]
    [InlineData(0.7, true, 0.2)]
    public void SgdFiveStepsMatchTheReference(double momentum, bool nesterov, double weightDecay)
    {
        const double lr = 0.1;
        var (w, b) = Parameters();
        var sgd = new Sgd<double>([w, b], lr, momentum, nesterov, weightDecay);
        Run(sgd, w, b);
        for (int i = 0; i < 4; i++)
            AssertClose(SgdScalar(W0[i], Column(WeightGrads, i), lr, momentum, nesterov, weightDecay), w.Value.AsSpan()[i], $"weight[{i}]");
        for (int i = 0; i < 2; i++)
            AssertClose(SgdScalar(B0[i], Column(BiasGrads, i), lr, momentum, nesterov, 0), b.Value.AsSpan()[i], $"bias[{i}]");
    }

    [Fact]
    public void SgdMomentumOnAVectorLongerThanTheSimdWidthMatchesTheReference()
    {
        // 67 elements in float: the Vector512/Vector256 body and the scalar tail of the fused momentum step
        const int n = 67;
        var p = new Parameter<float>("weight", 1, n, weightDecay: true);
        var rng = new Rng(11);
        double[] w0 = new double[n];
        double[][] grads = [.. Enumerable.Range(0, 4).Select(_ => new double[n])];
        for (int i = 0; i < n; i++)
        {
            w0[i] = (float)rng.NextNormal();
            p.Value.AsSpan()[i] = (float)w0[i];
            foreach (var g in grads)
                g[i] = (float)rng.NextNormal();
        }
        var sgd = new Sgd<float>([p], 0.1, momentum: 0.9, weightDecay: 0.05);
        foreach (var g in grads)
        {
            for (int i = 0; i < n; i++)
                p.Grad.AsSpan()[i] = (float)g[i];
            sgd.Step();
        }
        for (int i = 0; i < n; i++)
        {
            double expected = SgdScalar(w0[i], [.. grads.Select(g => g[i])], 0.1, 0.9, false, 0.05);
            Assert.True(Math.Abs(expected - p.Value.AsSpan()[i]) < 1e-5, $"weight[{i}]: expected {expected}, got {p.Value.AsSpan()[i]}");
        }
    }

    [Fact]
    public void BadHyperparametersAreRefused()
    {
        var (w, _) = Parameters();
        Assert.Throws<ArgumentOutOfRangeException>(() => new Adam<double>([w], beta1: 1.0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Adam<double>([w], beta2: -0.1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Adam<double>([w], epsilon: -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Adam<double>([w], weightDecay: double.NaN));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Adam<double>([w], learningRate: -0.1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Sgd<double>([w], momentum: 1.0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Sgd<double>([w], weightDecay: -1));
        Assert.Throws<ArgumentException>(() => new Sgd<double>([w], nesterov: true));
        var adam = new Adam<double>([w]);
        Assert.Throws<ArgumentException>(() => adam.LoadState([new double[4]], 1, 0.1));
        Assert.Throws<ArgumentException>(() => adam.LoadState([new double[4], new double[3]], 1, 0.1));
        Assert.Throws<ArgumentOutOfRangeException>(() => adam.LoadState([new double[4], new double[4]], -1, 0.1));
    }
}
