namespace Engine.Tests.Serialization;

/// <summary>A write that fails — in the middle of the bytes, or before them — leaves the old file as it was and no temporary file behind.</summary>
public sealed class AtomicWriteTests() : TempDirectoryTests("engine-atomic-")
{
    [Fact]
    public void AWriterThatFailsHalfwayLeavesTheOldFileIntact()
    {
        string path = Path.Combine(Dir, "model.mlp");
        byte[] old = [1, 2, 3, 4, 5];
        File.WriteAllBytes(path, old);
        var e = Assert.Throws<IOException>(() => AtomicFile.Write(path, stream =>
        {
            stream.Write(new byte[10_000]);
            stream.Flush();
            throw new IOException("No space left on device");
        }));
        Assert.Equal("No space left on device", e.Message);
        Assert.Equal(old, File.ReadAllBytes(path));
        Assert.Equal([path], Directory.GetFiles(Dir));
    }

    [Fact]
    public void ASuccessfulWriteReplacesTheFileWhole()
    {
        string path = Path.Combine(Dir, "sub", "model.mlp"); // the folder is created
        AtomicFile.Write(path, stream => stream.Write([9, 9]));
        AtomicFile.Write(path, stream => stream.Write([7]));
        Assert.Equal([7], File.ReadAllBytes(path));
        Assert.Equal([path], Directory.GetFiles(Path.GetDirectoryName(path)!));
    }

    [Fact]
    public void AModelSaveThatFailsLeavesTheOldModelLoadable()
    {
        string path = Path.Combine(Dir, "m.mlp");
        var model = Mlp.Create(3, [4], 2, seed: 1);
        ModelFile.Save(path, model, Samples.Metadata(3, 2));
        byte[] before = File.ReadAllBytes(path);
        // a scaler with a NaN cannot be written (JSON has no NaN): the save fails
        var bad = Samples.Metadata(3, 2) with { FeatureScaler = new ScalerState("standard", [float.NaN, 0, 0], [1, 1, 1]) };
        Assert.ThrowsAny<Exception>(() => ModelFile.Save(path, Mlp.Create(3, [4], 2, seed: 2), bad));
        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.Equal([path], Directory.GetFiles(Dir));
        var (loaded, _) = ModelFile.Load(path);
        Assert.True(loaded.Parameters[0].Value.AsSpan().SequenceEqual(model.Parameters[0].Value.AsSpan()));
    }
}
