using Engine.Initializers;
using Engine.Layers;
using Engine.Serialization;

namespace Engine.Tests.Layers;

/// <summary>The lookup first layer is the same function as one-hot expansion × <see cref="Dense{T}"/>: values, gradients, files, initialization.</summary>
public sealed class OneHotDenseTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("engine-onehot-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    // A batch of inputs for the lookup layer: normal numeric values, then uniform level codes.
    private static Matrix<double> Inputs(Rng rng, int batch, int numeric, int[] levels)
    {
        var x = new Matrix<double>(batch, numeric + levels.Length);
        for (int r = 0; r < batch; r++)
        {
            for (int c = 0; c < numeric; c++)
                x[r, c] = rng.NextNormal();
            for (int j = 0; j < levels.Length; j++)
                x[r, numeric + j] = rng.NextInt(levels[j]);
        }
        return x;
    }

    // The same rows one-hot expanded: numeric columns, then each column's levels.
    private static Matrix<TT> OneHot<TT>(Matrix<TT> x, int numeric, int[] levels) where TT : unmanaged, System.Numerics.IFloatingPointIeee754<TT>
    {
        var e = new Matrix<TT>(x.Rows, numeric + levels.Sum());
        for (int r = 0; r < x.Rows; r++)
        {
            for (int c = 0; c < numeric; c++)
                e[r, c] = x[r, c];
            int offset = numeric;
            for (int j = 0; j < levels.Length; j++)
            {
                e[r, offset + int.CreateChecked(x[r, numeric + j])] = TT.One;
                offset += levels[j];
            }
        }
        return e;
    }

    private static void AssertClose(ReadOnlySpan<double> expected, ReadOnlySpan<double> actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            double err = Math.Abs(expected[i] - actual[i]) / Math.Max(1, Math.Abs(expected[i]));
            Assert.True(err < 1e-12, $"{what}[{i}]: dense {expected[i]:R}, lookup {actual[i]:R}");
        }
    }

    // A lookup layer and a separate Dense with the same (random, non-zero bias) parameters.
    private static (OneHotDense<double> Lookup, Dense<double> Dense) Pair(int numeric, int[] levels, int outFeatures, Rng rng)
    {
        var lookup = new OneHotDense<double>(numeric, levels, outFeatures);
        lookup.ResetParameters(rng, Activation.ReLU);
        GradientCheck.Random(rng, 1, outFeatures).AsSpan().CopyTo(lookup.Bias.Value.AsSpan());
        var dense = new Dense<double>(lookup.InFeatures, outFeatures);
        lookup.Weight.Value.AsSpan().CopyTo(dense.Weight.Value.AsSpan());
        lookup.Bias.Value.AsSpan().CopyTo(dense.Bias.Value.AsSpan());
        return (lookup, dense);
    }

    // Forward and backward of one batch on both layers, from zero gradients; values, dW and db must agree.
    private static void AssertSameStep(OneHotDense<double> lookup, Dense<double> dense, Matrix<double> x, Rng rng, string what)
    {
        int numeric = lookup.NumericFeatures;
        int[] levels = [.. lookup.LevelCounts];
        var expanded = OneHot(x, numeric, levels);
        var dy = GradientCheck.Random(rng, x.Rows, lookup.OutFeatures);
        foreach (var p in lookup.Parameters.Concat(dense.Parameters))
            p.ZeroGrad();

        var expected = dense.Forward(expanded).AsSpan().ToArray();
        var actual = lookup.Forward(x).AsSpan().ToArray();
        dense.Backward(dy, computeInputGrad: false);
        Assert.Null(lookup.Backward(dy, computeInputGrad: false));

        AssertClose(expected, actual, $"{what} y");
        AssertClose(dense.Weight.Grad.AsSpan(), lookup.Weight.Grad.AsSpan(), $"{what} dW");
        AssertClose(dense.Bias.Grad.AsSpan(), lookup.Bias.Grad.AsSpan(), $"{what} db");
    }

    public static TheoryData<int, int[], int, int> Layouts => new()
    {
        { 3, [4, 1, 5], 7, 9 },          // numeric and categorical, one column with a single level
        { 0, [3, 2, 2], 5, 6 },          // no numeric columns
        { 5, [], 4, 3 },                 // no categorical columns: a plain Dense
        { 0, [1], 3, 4 },                // one level only: every code is 0
        { 2, [2, 2, 2, 2, 2, 2, 2], 17, 33 }, // many repeated codes in a batch
        { 1, [37, 11], 19, 1 },          // batch of 1
        { 13, [129, 3, 64], 33, 7 },     // wide, odd sizes: most levels absent from the batch
    };

    [Theory]
    [MemberData(nameof(Layouts))]
    public void EqualsOneHotTimesDense(int numeric, int[] levels, int outFeatures, int batch)
    {
        var rng = new Rng(17);
        var (lookup, dense) = Pair(numeric, levels, outFeatures, rng);
        AssertSameStep(lookup, dense, Inputs(rng, batch, numeric, levels), rng, "batch");
        // a smaller batch after it, then a larger one again: the reused buffers must not leak rows or slots
        AssertSameStep(lookup, dense, Inputs(rng, Math.Max(1, batch / 2), numeric, levels), rng, "smaller batch");
        AssertSameStep(lookup, dense, Inputs(rng, batch + 3, numeric, levels), rng, "larger batch");
    }

    [Fact]
    public void FloatAgreesWithDenseToRounding()
    {
        // float runs the SIMD paths (the packed GEMM, whole vectors and a tail of 67 outputs)
        int[] levels = [40, 3, 9];
        var rng = new Rng(21);
        var lookup = new OneHotDense<float>(6, levels, 67);
        lookup.ResetParameters(rng, Activation.ReLU);
        var dense = new Dense<float>(lookup.InFeatures, 67);
        lookup.Weight.Value.AsSpan().CopyTo(dense.Weight.Value.AsSpan());
        var x = Inputs(rng, 29, 6, levels);
        var dy = ToFloat(GradientCheck.Random(rng, 29, 67));
        var y = dense.Forward(ToFloat(OneHot(x, 6, levels))).AsSpan().ToArray();
        dense.Backward(dy, computeInputGrad: false);
        var yLookup = lookup.Forward(ToFloat(x)).AsSpan().ToArray();
        lookup.Backward(dy, computeInputGrad: false);
        foreach (var (expected, actual, what) in new[] { (y, yLookup, "y"), (dense.Weight.Grad.AsSpan().ToArray(), lookup.Weight.Grad.AsSpan().ToArray(), "dW"), (dense.Bias.Grad.AsSpan().ToArray(), lookup.Bias.Grad.AsSpan().ToArray(), "db") })
        {
            for (int i = 0; i < expected.Length; i++)
                Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-5f * Math.Max(1, Math.Abs(expected[i])), $"{what}[{i}]: dense {expected[i]}, lookup {actual[i]}");
        }
    }

    [Fact]
    public void EveryRowWithTheSameCodesAccumulatesAllOfThem()
    {
        var rng = new Rng(3);
        int[] levels = [6, 4];
        var (lookup, dense) = Pair(2, levels, 5, rng);
        var x = Inputs(rng, 8, 2, levels);
        for (int r = 0; r < x.Rows; r++)
        {
            x[r, 2] = 5;
            x[r, 3] = 0;
        }
        AssertSameStep(lookup, dense, x, rng, "same codes");
    }

    [Fact]
    public void BackwardAccumulatesLikeDense()
    {
        var rng = new Rng(4);
        int[] levels = [3, 5];
        var (lookup, _) = Pair(2, levels, 4, rng);
        var x = Inputs(rng, 6, 2, levels);
        var dy = GradientCheck.Random(rng, 6, 4);
        lookup.Forward(x);
        lookup.Backward(dy, computeInputGrad: false);
        var once = lookup.Weight.Grad.AsSpan().ToArray();
        lookup.Backward(dy, computeInputGrad: false);
        var twice = lookup.Weight.Grad.AsSpan().ToArray();
        for (int i = 0; i < once.Length; i++)
            Assert.Equal(2 * once[i], twice[i], 12);
    }

    [Fact]
    public void GradientsMatchFiniteDifferences()
    {
        var rng = new Rng(5);
        int[] levels = [4, 1, 3];
        var (lookup, _) = Pair(3, levels, 6, rng);
        GradientCheck.CheckLayer(lookup, Inputs(rng, 7, 3, levels), rng, inputGrad: false);
    }

    [Theory]
    [InlineData(2.5)]
    [InlineData(-1.0)]
    [InlineData(3.0)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void InvalidCodesAreRefusedNamingRowAndColumn(double code)
    {
        var rng = new Rng(6);
        int[] levels = [5, 3];
        var (lookup, dense) = Pair(2, levels, 4, rng);
        var x = Inputs(rng, 4, 2, levels);
        x[2, 3] = code;
        var ex = Assert.Throws<ArgumentException>(() => lookup.Forward(x));
        Assert.Contains("row 2", ex.Message, StringComparison.Ordinal);
        Assert.Contains("column 3 (categorical column 1)", ex.Message, StringComparison.Ordinal);
        Assert.Contains("[0, 3)", ex.Message, StringComparison.Ordinal);
        // no Backward for the refused batch, and the layer still works on a valid one
        Assert.Throws<InvalidOperationException>(() => lookup.Backward(new Matrix<double>(4, 4), computeInputGrad: false));
        AssertSameStep(lookup, dense, Inputs(rng, 5, 2, levels), rng, "after a refused batch");
    }

    [Fact]
    public void InputGradientIsRefused()
    {
        var layer = new OneHotDense<float>(1, [2], 3);
        layer.Forward(new Matrix<float>(2, 2));
        var ex = Assert.Throws<InvalidOperationException>(() => layer.Backward(new Matrix<float>(2, 3)));
        Assert.Contains("computeInputGrad", ex.Message, StringComparison.Ordinal);
        Assert.Contains("first layer", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void BadArgumentsThrow()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new OneHotDense<float>(-1, [2], 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => new OneHotDense<float>(1, [2, 0], 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => new OneHotDense<float>(0, [], 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => new OneHotDense<float>(1, [2], 0));
        var wrongWidth = Assert.Throws<ArgumentException>(() => new OneHotDense<float>(1, [2], 3).Forward(new Matrix<float>(2, 3)));
        Assert.Contains("2 columns", wrongWidth.Message, StringComparison.Ordinal);
        var wrongDense = Assert.Throws<ArgumentException>(() => OneHotDense<float>.From(new Dense<float>(5, 3), 1, [2, 3]));
        Assert.Contains("6 one-hot columns", wrongDense.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ParametersAndSpecAreTheDenseOnes()
    {
        var lookup = new OneHotDense<float>(3, [4, 2], 5);
        var dense = new Dense<float>(9, 5);
        Assert.Equal(dense.Spec, lookup.Spec);
        Assert.Equal(new LayerSpec("Dense", 9, 5), lookup.Spec);
        Assert.Equal(5, lookup.RequiredInputFeatures);
        Assert.Equal(5, lookup.OutputFeatures(5));
        Assert.Equal(dense.Parameters.Select(p => (p.Name, string.Join("×", p.Shape), p.WeightDecay, p.Value.ShapeString)),
            lookup.Parameters.Select(p => (p.Name, string.Join("×", p.Shape), p.WeightDecay, p.Value.ShapeString)));
        var model = new Sequential<float>(lookup, new ReLU<float>(), new Dense<float>(5, 2));
        Assert.Equal(5, model.InputFeatures);
        Assert.Equal(["0.weight", "0.bias", "2.weight", "2.bias"], model.NamedParameters.Select(np => np.Name));
    }

    [Theory]
    [InlineData(Activation.ReLU)]
    [InlineData(Activation.LeakyReLU)]
    [InlineData(Activation.Tanh)]
    [InlineData(Activation.Identity)]
    public void SameSeedInitializesAsTheDense(Activation activation)
    {
        int[] levels = [51, 3, 2, 2];
        Sequential<float> Build(Layer<float> first) => activation == Activation.Identity
            ? new Sequential<float>(first, new Dense<float>(64, 2))
            : new Sequential<float>(first, LayerRegistry.CreateActivation<float>(activation, 0.2), new Dense<float>(64, 2));
        var withLookup = Build(new OneHotDense<float>(15, levels, 64));
        var withDense = Build(new Dense<float>(15 + 58, 64));
        withLookup.Initialize(42);
        withDense.Initialize(42);
        for (int i = 0; i < withDense.Parameters.Count; i++)
            Assert.True(withDense.Parameters[i].Value.AsSpan().SequenceEqual(withLookup.Parameters[i].Value.AsSpan()), withDense.NamedParameters[i].Name);

        // an explicit initializer too
        var a = new OneHotDense<float>(2, [3], 4, new XavierUniform());
        var b = new Dense<float>(5, 4, new XavierUniform());
        a.ResetParameters(new Rng(9), Activation.ReLU);
        b.ResetParameters(new Rng(9), Activation.ReLU);
        Assert.True(b.Weight.Value.AsSpan().SequenceEqual(a.Weight.Value.AsSpan()));
    }

    [Fact]
    public void TrainsThroughSequentialLikeTheDense()
    {
        // the first layer gets computeInputGrad: false from Sequential; gradients of the whole model agree
        int[] levels = [4, 3];
        var rng = new Rng(8);
        var withLookup = new Sequential<double>(new OneHotDense<double>(2, levels, 6), new Tanh<double>(), new Dense<double>(6, 3));
        var withDense = new Sequential<double>(new Dense<double>(9, 6), new Tanh<double>(), new Dense<double>(6, 3));
        withLookup.Initialize(3);
        withDense.Initialize(3);
        var x = Inputs(rng, 10, 2, levels);
        var dy = GradientCheck.Random(rng, 10, 3);
        withLookup.ZeroGrad();
        withDense.ZeroGrad();
        AssertClose(withDense.Forward(OneHot(x, 2, levels)).AsSpan(), withLookup.Forward(x).AsSpan(), "y");
        withLookup.Backward(dy);
        withDense.Backward(dy);
        for (int i = 0; i < withDense.Parameters.Count; i++)
            AssertClose(withDense.Parameters[i].Grad.AsSpan(), withLookup.Parameters[i].Grad.AsSpan(), withDense.NamedParameters[i].Name);
    }

    [Fact]
    public void AStepAllocatesNothingAfterTheFirstBatch()
    {
        int[] levels = [51, 3, 2, 2];
        var layer = new OneHotDense<float>(15, levels, 64);
        layer.ResetParameters(new Rng(1), Activation.ReLU);
        var rng = new Rng(2);
        var big = Inputs(rng, 32, 15, levels);
        var small = Inputs(rng, 7, 15, levels);
        var x = ToFloat(big);
        var xs = ToFloat(small);
        var dy = new Matrix<float>(32, 64);
        var dys = new Matrix<float>(7, 64);
        layer.Forward(x);
        layer.Backward(dy, computeInputGrad: false);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 3; i++)
        {
            layer.Forward(xs);
            layer.Backward(dys, computeInputGrad: false);
            layer.Forward(x);
            layer.Backward(dy, computeInputGrad: false);
        }
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void SavesLoadsAndExportsAsAPlainDense()
    {
        int[] levels = [3, 4];
        var lookup = new OneHotDense<float>(2, levels, 6);
        var model = new Sequential<float>(lookup, new ReLU<float>(), new Dense<float>(6, 3));
        model.Initialize(5);
        var plain = new Sequential<float>(lookup.Dense, model.Layers[1], model.Layers[2]); // the same parameters
        var metadata = Engine.Tests.Serialization.SafetensorsTests.Metadata(lookup.InFeatures, 3);
        var x = ToFloat(Inputs(new Rng(6), 11, 2, levels));
        var expected = model.Forward(x).AsSpan().ToArray();

        foreach (var (ext, save, load) in new (string, Action<string, Sequential<float>, ModelMetadata>, Func<string, (Sequential<float>, ModelMetadata)>)[]
        {
            ("mlp", ModelFile.Save, ModelFile.Load),
            ("safetensors", Safetensors.Save, Safetensors.Load),
        })
        {
            string path = Path.Combine(_dir, "lookup." + ext), reference = Path.Combine(_dir, "dense." + ext);
            save(path, model, metadata);
            save(reference, plain, metadata);
            Assert.Equal(File.ReadAllBytes(reference), File.ReadAllBytes(path));

            var (loaded, _) = load(path);
            var first = Assert.IsType<Dense<float>>(loaded.Layers[0]);
            var back = new Sequential<float>([OneHotDense<float>.From(first, 2, levels), .. loaded.Layers.Skip(1)]);
            Assert.Same(first.Weight, back.Parameters[0]); // shared, not copied
            Assert.Equal(expected, back.Forward(x).AsSpan().ToArray());
        }
    }

    private static Matrix<float> ToFloat(Matrix<double> m)
    {
        var f = new Matrix<float>(m.Rows, m.Cols);
        for (int i = 0; i < m.Length; i++)
            f.AsSpan()[i] = (float)m.AsSpan()[i];
        return f;
    }
}
