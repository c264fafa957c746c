namespace Engine.Tests;

/// <summary>
/// Checks shared by the tests of the file readers (.mlp, .safetensors, .ckpt): a missing file is named, a damaged
/// copy of a saved file is refused.
/// </summary>
internal static class ModelReaderChecks
{
    /// <summary>Checks that <paramref name="load"/> of a file that does not exist throws a FileNotFoundException naming it.</summary>
    public static void MissingFileIsNamed(string path, Action<string> load) =>
        Assert.Contains(path, Assert.Throws<FileNotFoundException>(() => load(path)).Message);

    /// <summary>
    /// Writes <paramref name="bytes"/> over <paramref name="path"/> and checks that <paramref name="load"/> refuses
    /// the file with a <see cref="ModelFormatException"/>; returns it so the caller can check the message.
    /// </summary>
    public static ModelFormatException Refused(string path, byte[] bytes, Action<string> load)
    {
        File.WriteAllBytes(path, bytes);
        return Assert.Throws<ModelFormatException>(() => load(path));
    }

    /// <summary>A copy of <paramref name="bytes"/> with one bit of byte <paramref name="index"/> flipped.</summary>
    public static byte[] Flipped(byte[] bytes, int index)
    {
        byte[] copy = (byte[])bytes.Clone();
        copy[index] ^= 0x10;
        return copy;
    }
}
