namespace Engine.Tests.Serialization;

public sealed class ModelFileTests() : TempDirectoryTests("engine-modelfile-")
{
    private string SaveSample(Activation activation = Activation.PReLU)
    {
        var model = Mlp.Create(5, [8, 6], 3, activation, seed: 11);
        // make the PReLU slopes differ from their initial value so the test sees them saved
        foreach (var (name, p) in model.NamedParameters.Where(np => np.Name == "1.weight"))
            p.Value[0, 0] = 0.123f;
        string path = Path.Combine(Dir, "m.mlp");
        ModelFile.Save(path, model, Samples.Metadata(5, 3));
        return path;
    }

    private static ModelFormatException Refused(string path, byte[] bytes) => ModelReaderChecks.Refused(path, bytes, p => ModelFile.Load(p));

    public static TheoryData<Activation> Activations => [.. Enum.GetValues<Activation>()];

    [Theory]
    [MemberData(nameof(Activations))]
    public void RoundTripGivesIdenticalPredictions(Activation activation)
    {
        var model = Mlp.Create(5, [8, 6], 3, activation, seed: 11);
        string path = Path.Combine(Dir, "rt.mlp");
        var metadata0 = Samples.Metadata(5, 3);
        metadata0.Training["seed"] = "11";
        ModelFile.Save(path, model, metadata0);
        var (loaded, metadata) = ModelFile.Load(path);

        var x = new Matrix<float>(4, 5);
        var rng = new Rng(2);
        for (int i = 0; i < x.Length; i++)
            x.AsSpan()[i] = (float)rng.NextNormal();
        var expected = model.Forward(x).AsSpan().ToArray();
        Assert.Equal(expected, loaded.Forward(x).AsSpan().ToArray());
        Assert.Equal(["c0", "c1", "c2"], metadata.ClassNames!);
        Assert.Equal("11", metadata.Training["seed"]);
        Assert.Equal(model.ToString(), loaded.ToString());
    }

    [Fact]
    public void PReLUSlopesAreSaved()
    {
        var (loaded, _) = ModelFile.Load(SaveSample());
        Assert.Equal(0.123f, ((PReLU<float>)loaded.Layers[1]).Slope.Value[0, 0]);
    }

    [Fact]
    public void AnyFlippedByteIsDetected()
    {
        string path = SaveSample();
        byte[] original = File.ReadAllBytes(path);
        // every 37th byte, so header, payload and checksum are all hit
        for (int i = 0; i < original.Length; i += 37)
            Assert.Contains(path, Refused(path, ModelReaderChecks.Flipped(original, i)).Message);
    }

    [Fact]
    public void EveryTruncationIsDetected()
    {
        string path = SaveSample();
        byte[] original = File.ReadAllBytes(path);
        foreach (int length in new[] { 0, 3, 15, 16, 40, original.Length / 2, original.Length - 1 })
            Refused(path, original[..length]);
    }

    [Fact]
    public void ForeignFileIsRefusedByMagic()
    {
        string path = Path.Combine(Dir, "iris.csv");
        File.WriteAllText(path, "sepal_length,sepal_width,species\n5.1,3.5,setosa\n4.9,3.0,setosa\n");
        var ex = Assert.Throws<ModelFormatException>(() => ModelFile.Load(path));
        Assert.Contains("not an Engine model", ex.Message);
    }

    [Fact]
    public void HugeHeaderLengthIsRefusedBeforeAllocating()
    {
        string path = SaveSample();
        byte[] bytes = File.ReadAllBytes(path);
        BitConverter.TryWriteBytes(bytes.AsSpan(12), uint.MaxValue);
        Assert.Contains("header length", Refused(path, bytes).Message);
    }

    [Fact]
    public void SaveLeavesNoTemporaryFiles()
    {
        SaveSample();
        SaveSample(); // overwrite
        Assert.Equal(["m.mlp"], Directory.GetFiles(Dir).Select(Path.GetFileName));
    }

    [Fact]
    public void MissingFileNamesThePath() => ModelReaderChecks.MissingFileIsNamed(Path.Combine(Dir, "nope.mlp"), p => ModelFile.Load(p));

    [Fact]
    public void SequentialRefusesMismatchedWidths()
    {
        var ex = Assert.Throws<ArgumentException>(() => new Sequential<float>(new Dense<float>(4, 8), new ReLU<float>(), new Dense<float>(7, 2)));
        Assert.Contains("takes 7 features", ex.Message);
    }
}
