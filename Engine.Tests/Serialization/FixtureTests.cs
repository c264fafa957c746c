namespace Engine.Tests.Serialization;

/// <summary>
/// Files written by an earlier version (Engine.Tests/Fixtures, see its README) still load, with the same
/// architecture and the same outputs for a fixed input (x[i, j] = 0.5·(i + 1) − 0.3·j, three rows).
/// </summary>
public class FixtureTests
{
    private const float Tolerance = 1e-5f; // another GEMM path may round differently

    private static readonly float[] IrisReluOutputs =
        [-0.039354384f, 0.17322719f, 0.7758397f, 0.1284998f, 0.38964513f, 1.482822f, 0.2446561f, 0.2579392f, 2.2028158f];

    private static readonly float[] IrisPreluOutputs =
        [-0.5852943f, 0.108472265f, 0.0071656043f, -0.5448657f, 0.30524433f, -0.38143176f, -1.1793799f, 0.16402055f, -0.46715245f];

    /// <summary>Each fixture model: its file, its architecture and its outputs for the fixed input.</summary>
    public static TheoryData<string, string, float[]> Models => new()
    {
        { "iris-relu.mlp", "Sequential(Dense(4 → 8), ReLU, Dense(8 → 3))", IrisReluOutputs },
        { "iris-prelu.mlp", "Sequential(Dense(4 → 6), PReLU(1), Dense(6 → 4), PReLU(1), Dense(4 → 3))", IrisPreluOutputs },
        {
            "iris-leaky-relu.mlp", "Sequential(Dense(4 → 6), LeakyReLU(0.2), Dense(6 → 3))",
            [0.09011526f, -0.11477289f, 0.29934937f, 0.07901006f, 0.34295076f, -0.38723227f, 0.15051405f, 0.79867196f, -1.024994f]
        },
        {
            "iris-tanh.mlp", "Sequential(Dense(4 → 5), Tanh, Dense(5 → 3))",
            [0.19821121f, -0.76925486f, -1.5755037f, 0.09090968f, -1.2736309f, -2.4166844f, -0.089257695f, -1.5068655f, -2.7412121f]
        },
        { "iris-prelu.safetensors", "Sequential(Dense(4 → 6), PReLU(1), Dense(6 → 4), PReLU(1), Dense(4 → 3))", IrisPreluOutputs },
        { "diabetes-sigmoid.safetensors", "Sequential(Dense(10 → 4), Sigmoid, Dense(4 → 1))", [0.26006034f, 0.26155737f, 0.22980592f] },
    };

    [Theory]
    [MemberData(nameof(Models))]
    public void LoadsWithItsArchitectureAndOutputs(string file, string architecture, float[] expected) =>
        Check(file.EndsWith(".mlp", StringComparison.Ordinal) ? ModelFile.Load(Path(file)) : Safetensors.Load(Path(file)), architecture, expected);

    [Fact]
    public void CheckpointLoadsWithTheWeightsOfTheFinishedRun()
    {
        // The checkpoint was written after the last epoch of the run that wrote iris-relu.mlp: same weights.
        var checkpoint = CheckpointFile.Load(Path("iris-relu.mlp.ckpt"));
        Assert.Equal(5, checkpoint.State.Progress.Epoch);
        var model = new Sequential<float>([.. checkpoint.Layers.Select(spec => spec.Create(what => new InvalidDataException(what)))]);
        Assert.Equal(model.Parameters.Count, checkpoint.State.Weights.Length);
        for (int i = 0; i < model.Parameters.Count; i++)
            checkpoint.State.Weights[i].CopyTo(model.Parameters[i].Value.AsSpan());
        Check((model, checkpoint.Metadata), "Sequential(Dense(4 → 8), ReLU, Dense(8 → 3))", IrisReluOutputs);
    }

    private static void Check((Sequential<float> Model, ModelMetadata Metadata) loaded, string architecture, float[] expected)
    {
        var (model, metadata) = loaded;
        Assert.Equal(architecture, model.ToString());
        int n = metadata.FeatureNames.Length;
        var x = new Matrix<float>(3, n);
        for (int i = 0; i < 3; i++)
        {
            for (int j = 0; j < n; j++)
                x[i, j] = 0.5f * (i + 1) - 0.3f * j;
        }
        var y = model.Forward(x).AsSpan().ToArray();
        Assert.Equal(expected.Length, y.Length);
        for (int i = 0; i < y.Length; i++)
            Assert.True(Math.Abs(y[i] - expected[i]) <= Tolerance * Math.Max(1, Math.Abs(expected[i])), $"output {i}: {y[i]} vs {expected[i]}");
    }

    private static string Path(string name) => TestData.TestsFile("Fixtures", name);
}
