namespace Engine.Tests.Serialization;

public sealed class ModelFileTests() : TempDirectoryTests("engine-modelfile-")
{
    private static ModelMetadata Metadata(int features, int classes) => new(
        TaskKind.Classification,
        [.. Enumerable.Range(0, features).Select(i => $"f{i}")],
        "label",
        [.. Enumerable.Range(0, classes).Select(i => $"c{i}")],
        new ScalerState("standard", new float[features], [.. Enumerable.Repeat(1f, features)]));

    private string SaveSample(Activation activation = Activation.PReLU)
    {
        var model = Mlp.Create(5, [8, 6], 3, activation, seed: 11);
        // make the PReLU slopes differ from their initial value so the test sees them saved
        foreach (var (name, p) in model.NamedParameters.Where(np => np.Name == "1.weight"))
            p.Value[0, 0] = 0.123f;
        string path = Path.Combine(Dir, "m.mlp");
        ModelFile.Save(path, model, Metadata(5, 3));
        return path;
    }

    [Theory]
    [InlineData(Activation.ReLU)]
    [InlineData(Activation.LeakyReLU)]
    [InlineData(Activation.PReLU)]
    [InlineData(Activation.Tanh)]
    [InlineData(Activation.ELU)]
    [InlineData(Activation.SELU)]
    [InlineData(Activation.GELU)]
    [InlineData(Activation.SiLU)]
    public void RoundTripGivesIdenticalPredictions(Activation activation)
    {
        var model = Mlp.Create(5, [8, 6], 3, activation, seed: 11);
        string path = Path.Combine(Dir, "rt.mlp");
        var metadata0 = Metadata(5, 3);
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
        {
            byte[] corrupted = (byte[])original.Clone();
            corrupted[i] ^= 0x10;
            File.WriteAllBytes(path, corrupted);
            var ex = Assert.Throws<ModelFormatException>(() => ModelFile.Load(path));
            Assert.Contains(path, ex.Message);
        }
    }

    [Fact]
    public void EveryTruncationIsDetected()
    {
        string path = SaveSample();
        byte[] original = File.ReadAllBytes(path);
        foreach (int length in new[] { 0, 3, 15, 16, 40, original.Length / 2, original.Length - 1 })
        {
            File.WriteAllBytes(path, original[..length]);
            Assert.Throws<ModelFormatException>(() => ModelFile.Load(path));
        }
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
        File.WriteAllBytes(path, bytes);
        var ex = Assert.Throws<ModelFormatException>(() => ModelFile.Load(path));
        Assert.Contains("header length", ex.Message);
    }

    [Fact]
    public void SaveLeavesNoTemporaryFiles()
    {
        SaveSample();
        SaveSample(); // overwrite
        Assert.Equal(["m.mlp"], Directory.GetFiles(Dir).Select(Path.GetFileName));
    }

    [Fact]
    public void MissingFileNamesThePath()
    {
        string path = Path.Combine(Dir, "nope.mlp");
        var ex = Assert.Throws<FileNotFoundException>(() => ModelFile.Load(path));
        Assert.Contains(path, ex.Message);
    }

    [Fact]
    public void SequentialRefusesMismatchedWidths()
    {
        var ex = Assert.Throws<ArgumentException>(() => new Sequential<float>(new Dense<float>(4, 8), new ReLU<float>(), new Dense<float>(7, 2)));
        Assert.Contains("takes 7 features", ex.Message);
    }
}
