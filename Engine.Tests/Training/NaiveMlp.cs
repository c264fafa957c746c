namespace Engine.Tests.Training;

/// <summary>A reference forward pass for tests: no kernels, no batching, double throughout.</summary>
internal static class NaiveMlp
{
    /// <summary>Dense → ReLU → … → Dense for one row, in double, from the weights.</summary>
    public static double[] Forward(Sequential<float> model, ReadOnlySpan<float> x)
    {
        double[] h = [.. x.ToArray().Select(v => (double)v)];
        foreach (var layer in model.Layers)
        {
            if (layer is Dense<float> d)
            {
                var next = new double[d.OutFeatures];
                for (int o = 0; o < d.OutFeatures; o++)
                {
                    double s = d.Bias.Value[0, o];
                    for (int k = 0; k < d.InFeatures; k++)
                        s += d.Weight.Value[o, k] * h[k];
                    next[o] = s;
                }
                h = next;
            }
            else
            {
                h = [.. h.Select(v => Math.Max(v, 0))];
            }
        }
        return h;
    }
}
