namespace Engine.Tests;

/// <summary>The README's code, kept compiling and running here (keep the two in step).</summary>
public sealed class ReadmeExampleTests() : TempDirectoryTests("engine-readme-")
{
    [Fact]
    public void LibraryInAFewLines()
    {
        var table = DataTable.ReadCsv(TestData.DataFile("iris.csv"));
        var result = TabularModel.Fit(table, new FitOptions { Seed = 1 });
        Assert.True(result.Test.Accuracy > 0.9);
        string path = Path.Combine(Dir, "iris.mlp");
        result.Model.Save(path);

        var model = TabularModel.Load(path);
        var rows = model.ReadCsv(TestData.DataFile("iris.csv"));
        int[] classes = model.PredictClasses(rows);
        Assert.Equal("setosa", model.ClassNames![classes[0]]);
        var p = model.Predict([new Dictionary<string, object?>
            { ["sepal_length"] = 5.1, ["sepal_width"] = 3.5, ["petal_length"] = 1.4, ["petal_width"] = null }]);
        Assert.Equal(0, TensorPrimitives.IndexOfMax<float>(p.Row(0)));
    }

    [Fact]
    public void ByHandPyTorchStyle()
    {
        var model = new Sequential<float>(
            new Dense<float>(784, 256, new HeNormal()), new PReLU<float>(),
            new Dense<float>(256, 10));
        model.Initialize(seed: 1);
        var loss = new SoftmaxCrossEntropy<float>();
        var sgd = new Sgd<float>(model.Parameters, learningRate: 0.01, momentum: 0.9, nesterov: true, weightDecay: 5e-4);

        var x = new Matrix<float>(16, 784);
        var y = new Matrix<float>(16, 1);
        var rng = new Rng(1);
        for (int i = 0; i < x.Length; i++)
            x.AsSpan()[i] = (float)rng.NextDouble();
        double first = 0, last = 0;
        for (int step = 0; step < 20; step++)
        {
            last = loss.Forward(model.Forward(x), y);
            if (step == 0)
                first = last;
            sgd.ZeroGrad();
            model.Backward(loss.Backward());
            sgd.Step();
        }
        Assert.True(last < first);
    }
}
