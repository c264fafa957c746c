namespace Engine.Tests;

/// <summary>Small made-up inputs that tests in several folders share.</summary>
internal static class Samples
{
    /// <summary>One Dense(2 → 2) with weights [[1, 2], [3, 4]] and bias [0.5, −0.5]: a model whose saved bytes can be written out by hand.</summary>
    public static Sequential<float> HandBuiltDense2x2()
    {
        var dense = new Dense<float>(2, 2);
        new float[] { 1, 2, 3, 4 }.CopyTo(dense.Weight.Value.AsSpan());
        new float[] { 0.5f, -0.5f }.CopyTo(dense.Bias.Value.AsSpan());
        return new Sequential<float>(dense);
    }

    /// <summary>
    /// Classification metadata for <paramref name="features"/> features named f0, f1, … and
    /// <paramref name="classes"/> classes named c0, c1, …, with an identity standard scaler.
    /// </summary>
    public static ModelMetadata Metadata(int features, int classes) => new(
        TaskKind.Classification,
        [.. Enumerable.Range(0, features).Select(i => $"f{i}")],
        "label",
        [.. Enumerable.Range(0, classes).Select(i => $"c{i}")],
        new ScalerState("standard", new float[features], [.. Enumerable.Repeat(1f, features)]));

    /// <summary>
    /// Two Gaussian blobs of unit variance centred at (−center, −center) (class 0, even rows) and
    /// (center, center) (class 1, odd rows): <paramref name="n"/> rows of features a, b and the target c.
    /// </summary>
    public static Dataset Blobs(int n, ulong seed, double center)
    {
        var rng = new Rng(seed);
        var x = new Matrix<float>(n, 2);
        var y = new Matrix<float>(n, 1);
        for (int i = 0; i < n; i++)
        {
            int c = i % 2;
            double mean = c == 0 ? -center : center;
            x[i, 0] = (float)(mean + rng.NextNormal());
            x[i, 1] = (float)(mean + rng.NextNormal());
            y[i, 0] = c;
        }
        return new Dataset(x, y, ["a", "b"], "c", TaskKind.Classification, ["0", "1"], "blobs");
    }

    /// <summary>A rows × cols matrix of independent N(0, 1) draws from <paramref name="seed"/>.</summary>
    public static Matrix<float> StandardNormal(int rows, int cols, ulong seed)
    {
        var rng = new Rng(seed);
        var m = new Matrix<float>(rows, cols);
        for (int i = 0; i < m.Length; i++)
            m.AsSpan()[i] = (float)rng.NextNormal();
        return m;
    }
}
