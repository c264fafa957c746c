namespace Engine.Tests.Layers;

/// <summary>End-to-end: small networks learn XOR and a noisy two-class spiral with each ReLU-family activation.</summary>
public class LearningTests
{
    [Theory]
    [InlineData(Activation.ReLU)]
    [InlineData(Activation.LeakyReLU)]
    [InlineData(Activation.PReLU)]
    public void LearnsXor(Activation activation)
    {
        var x = new Matrix<float>(4, 2, [0, 0, 0, 1, 1, 0, 1, 1]);
        var y = new Matrix<float>(4, 1, [0, 1, 1, 0]);
        var model = Mlp.Create(2, [16], 2, activation, seed: 1);
        Train(model, x, y, steps: 500, new Sgd<float>(model.Parameters, 0.1, momentum: 0.9));
        Assert.Equal(1.0, Accuracy(model, x, y));
    }

    [Theory]
    [InlineData(Activation.ReLU)]
    [InlineData(Activation.LeakyReLU)]
    [InlineData(Activation.PReLU)]
    public void LearnsNoisySpiral(Activation activation)
    {
        var (x, y) = Spiral(n: 200, noise: 0.1, seed: 7);
        var model = Mlp.Create(2, [64, 64], 2, activation, seed: 2);
        Train(model, x, y, steps: 1500, new Sgd<float>(model.Parameters, 0.05, momentum: 0.9));
        double accuracy = Accuracy(model, x, y);
        Assert.True(accuracy >= 0.95, $"{activation}: training accuracy {accuracy:F3} < 0.95");
    }

    private static void Train(Sequential<float> model, Matrix<float> x, Matrix<float> y, int steps, Optimizer<float> optimizer)
    {
        var loss = new SoftmaxCrossEntropy<float>();
        for (int step = 0; step < steps; step++)
        {
            var logits = model.Forward(x);
            loss.Forward(logits, y);
            optimizer.ZeroGrad();
            model.Backward(loss.Backward());
            optimizer.Step();
        }
    }

    private static double Accuracy(Sequential<float> model, Matrix<float> x, Matrix<float> y)
    {
        var logits = model.Forward(x);
        int correct = 0;
        for (int i = 0; i < x.Rows; i++)
        {
            var row = logits.Row(i);
            int predicted = row.IndexOf(System.Numerics.Tensors.TensorPrimitives.Max<float>(row));
            if (predicted == (int)y[i, 0])
                correct++;
        }
        return (double)correct / x.Rows;
    }

    /// <summary>Two interleaved arms r = t, θ = t·4π/… (+π for class 1), with Gaussian noise.</summary>
    private static (Matrix<float> X, Matrix<float> Y) Spiral(int n, double noise, ulong seed)
    {
        var rng = new Rng(seed);
        var x = new Matrix<float>(n, 2);
        var y = new Matrix<float>(n, 1);
        for (int i = 0; i < n; i++)
        {
            int label = i % 2;
            double t = (double)(i / 2) / (n / 2) * 1.0 + 0.05;
            double angle = 3 * Math.PI * t + label * Math.PI;
            x[i, 0] = (float)(t * Math.Cos(angle) * 2 + noise * rng.NextNormal());
            x[i, 1] = (float)(t * Math.Sin(angle) * 2 + noise * rng.NextNormal());
            y[i, 0] = label;
        }
        return (x, y);
    }
}
